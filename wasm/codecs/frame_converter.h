// Camera frames to the encoder's I420: whatever the browser hands over (a VideoFrame copied out as I420,
// NV12, RGBA/RGBX or BGRA/BGRX, with a coded size larger than its visibleRect, e.g. Chromium's fake
// camera: 640x480 coded, 640x360 visible) -> crop the visible rect to the target aspect (centred) ->
// scale to the target size (libyuv, box/bilinear filtering) -> one tightly packed I420 buffer owned by
// the converter and reused frame after frame (no per-frame allocation once the size is stable).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "image/i420_view.h"

namespace lw::codecs {

enum class PixelFormat : uint8_t { kI420, kNV12, kRGBA, kRGBX, kBGRA, kBGRX };
// "I420", "NV12", "RGBA", "RGBX", "BGRA", "BGRX" (VideoFrame.format); kUnsupported otherwise.
Result<PixelFormat> parse_pixel_format(const std::string& name);

// A source picture in memory. Planes are consecutive in `data` as VideoFrame.copyTo() lays them out
// with its default layout: for I420, Y (stride coded_width) then U then V (stride coded_width/2);
// NV12: Y then interleaved UV; RGB formats one plane of stride coded_width*4.
struct SourceFrame {
  PixelFormat format = PixelFormat::kI420;
  ByteSpan data;
  int coded_width = 0, coded_height = 0;
  int visible_x = 0, visible_y = 0, visible_width = 0, visible_height = 0;
};

class FrameConverter {
 public:
  // Crops `src`'s visible rect to the aspect of target_width:target_height (centred, even offsets) and
  // scales to exactly that size. kInvalid for a frame whose data is too short for its declared layout
  // or a visible rect outside the coded size; kUnsupported for a size beyond 4096x4096 or odd targets.
  Status convert(const SourceFrame& src, int target_width, int target_height);

  // The last converted picture (valid until the next convert()).
  image::I420View picture();
  ByteSpan bytes() const { return {out_.data(), out_.size()}; }
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  std::vector<uint8_t> out_;      // Y, U, V tightly packed
  std::vector<uint8_t> scratch_;  // cropped I420 before scaling, when the source is not I420
  int width_ = 0, height_ = 0;
};

}  // namespace lw::codecs
