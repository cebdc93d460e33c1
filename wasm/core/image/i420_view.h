// A mutable view of an 8-bit I420 picture (three planes with strides), what the pusher's filters work on
// in place. No ownership.
#pragma once

#include <cstdint>

namespace lw::image {

struct I420View {
  uint8_t* y = nullptr;
  uint8_t* u = nullptr;
  uint8_t* v = nullptr;
  int y_stride = 0;
  int uv_stride = 0;
  int width = 0;   // even
  int height = 0;  // even
};

}  // namespace lw::image
