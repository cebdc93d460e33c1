// `whiteness` (docs/api.md-9): a tone lift before encoding. A lookup-table curve on the luma
// that brightens mid-tones and shadows more than highlights (so whites do not clip), and pulls the chroma
// slightly toward neutral, the more the higher the level. Level 0 does nothing at all (not one byte
// changes). The table is rebuilt only when the level changes.
#pragma once

#include <array>
#include <cstdint>

#include "image/i420_view.h"

namespace lw::image {

class WhitenessFilter {
 public:
  // level 0..9; values outside are clamped.
  void apply(int level, I420View picture);

 private:
  int table_level_ = -1;
  std::array<uint8_t, 256> luma_{};
  std::array<uint8_t, 256> chroma_{};
};

}  // namespace lw::image
