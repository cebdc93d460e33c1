#include "image/whiteness_filter.h"

#include <algorithm>

namespace lw::image {

// Luma: f(x) = x + k * x * (255 - x) / 255, k = 0.06 * level. f(0) = 0, f(255) = 255, f is monotonic
// for k <= 1 (f'(x) = 1 + k (255 - 2x) / 255 >= 1 - k), and the lift is largest in the mid-tones
// (+34 at 128 for level 9): skin brightens, highlights do not clip, shadows stay shadows.
// Chroma: pulled toward neutral by 2 % per level (18 % at 9), the "whiter" look of the original.
void WhitenessFilter::apply(int level, I420View p) {
  level = std::clamp(level, 0, 9);
  if (level == 0 || !p.y) return;
  if (level != table_level_) {
    const double k = 0.06 * level;
    const double c = 1.0 - 0.02 * level;
    for (int x = 0; x < 256; ++x) {
      luma_[x] = static_cast<uint8_t>(std::clamp(x + k * x * (255 - x) / 255.0 + 0.5, 0.0, 255.0));
      chroma_[x] = static_cast<uint8_t>(std::clamp(128 + (x - 128) * c + 0.5, 0.0, 255.0));
    }
    table_level_ = level;
  }
  for (int y = 0; y < p.height; ++y) {
    uint8_t* row = p.y + static_cast<size_t>(y) * p.y_stride;
    for (int x = 0; x < p.width; ++x) row[x] = luma_[row[x]];
  }
  const int cw = (p.width + 1) / 2, ch = (p.height + 1) / 2;
  for (int y = 0; y < ch; ++y) {
    uint8_t* u = p.u + static_cast<size_t>(y) * p.uv_stride;
    uint8_t* v = p.v + static_cast<size_t>(y) * p.uv_stride;
    for (int x = 0; x < cw; ++x) {
      u[x] = chroma_[u[x]];
      v[x] = chroma_[v[x]];
    }
  }
}

}  // namespace lw::image
