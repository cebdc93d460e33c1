#include "image/beauty_filter.h"

#include <algorithm>
#include <cstdlib>

namespace lw::image {
namespace {

// Cb/Cr ranges where human skin of every tone falls (the classic YCbCr skin box, Chai & Ngan 1999:
// 77 <= Cb <= 127, 133 <= Cr <= 173).
bool skin(uint8_t u, uint8_t v) { return u >= 77 && u <= 127 && v >= 133 && v <= 173; }

}  // namespace

// Edge-preserving smoothing of the luma: each pixel moves toward the mean of its (2r+1)^2
// neighbourhood, weighted down as its difference from that mean grows (a difference above the
// threshold is an edge and is kept), at full strength on skin-coloured chroma and at three quarters elsewhere.
// Box sums are separable running sums over a clamped (edge-replicating) window: O(1) per pixel
// whatever the radius.
void BeautyFilter::apply(int level, I420View p) {
  level = std::clamp(level, 0, 9);
  if (level == 0 || !p.y || p.width < 2 || p.height < 2) return;
  const int r = 1 + level / 3;                   // 1..4
  const int threshold = 8 + 4 * level;           // 12..44 luma levels
  const int strength = 28 * level;               // /256: 0.11..0.98
  const int w = p.width, h = p.height;
  const int area = (2 * r + 1) * (2 * r + 1);

  // Horizontal sums of the original luma (max 9 * 255 fits in 16 bits).
  scratch_.resize(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y) {
    const uint8_t* row = p.y + static_cast<size_t>(y) * p.y_stride;
    uint16_t* out = scratch_.data() + static_cast<size_t>(y) * w;
    int sum = 0;
    for (int k = -r; k <= r; ++k) sum += row[std::clamp(k, 0, w - 1)];
    for (int x = 0; x < w; ++x) {
      out[x] = static_cast<uint16_t>(sum);
      sum += row[std::min(x + r + 1, w - 1)] - row[std::max(x - r, 0)];
    }
  }
  // Vertical running sums per column, then the blend, row by row (each pixel read before it is
  // written: the sums come from scratch_, never from the rows already filtered).
  column_.assign(static_cast<size_t>(w), 0);
  for (int k = -r; k <= r; ++k) {
    const uint16_t* src = scratch_.data() + static_cast<size_t>(std::clamp(k, 0, h - 1)) * w;
    for (int x = 0; x < w; ++x) column_[x] += src[x];
  }
  for (int y = 0; y < h; ++y) {
    uint8_t* row = p.y + static_cast<size_t>(y) * p.y_stride;
    const uint8_t* u = p.u + static_cast<size_t>(y / 2) * p.uv_stride;
    const uint8_t* v = p.v + static_cast<size_t>(y / 2) * p.uv_stride;
    for (int x = 0; x < w; ++x) {
      const int mean = (static_cast<int>(column_[x]) + area / 2) / area;
      const int diff = mean - row[x];
      const int ad = std::abs(diff);
      if (ad >= threshold || diff == 0) continue;
      int weight = strength * (threshold - ad) / threshold;  // /256
      if (!skin(u[x / 2], v[x / 2])) weight = weight * 3 / 4;
      row[x] = static_cast<uint8_t>(std::clamp(row[x] + (diff * weight + (diff > 0 ? 128 : -128)) / 256, 0, 255));
    }
    const uint16_t* leaving = scratch_.data() + static_cast<size_t>(std::max(y - r, 0)) * w;
    const uint16_t* entering = scratch_.data() + static_cast<size_t>(std::min(y + r + 1, h - 1)) * w;
    for (int x = 0; x < w; ++x) column_[x] += static_cast<uint32_t>(entering[x]) - leaving[x];
  }
}

}  // namespace lw::image
