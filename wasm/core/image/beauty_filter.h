// `beauty` (docs/api.md-9): skin smoothing before encoding. An edge-preserving smoothing of the
// luma (a fast bilateral-style filter: flat areas and fine skin texture are smoothed, edges whose
// contrast exceeds a threshold that grows with the level are kept), blended more strongly where the
// chroma looks like skin. Level 0 does nothing at all (not one byte changes, no time spent). Working
// memory is allocated once per size and reused: no per-frame allocation.
#pragma once

#include <cstdint>
#include <vector>

#include "image/i420_view.h"

namespace lw::image {

class BeautyFilter {
 public:
  // level 0..9; values outside are clamped.
  void apply(int level, I420View picture);

 private:
  std::vector<uint16_t> scratch_;  // horizontal box sums, one per luma sample
  std::vector<uint32_t> column_;   // running vertical sums of scratch_
};

}  // namespace lw::image
