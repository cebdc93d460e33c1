#include "codecs/frame_converter.h"

#include <algorithm>

#include <libyuv/convert.h>
#include <libyuv/scale.h>

namespace lw::codecs {
namespace {

constexpr int kMaxSide = 4096;

struct Rect {
  int x, y, width, height;
};

// The visible rect shrunk to even edges: 4:2:0 chroma covers pixel pairs, so a crop that starts on an
// odd pixel would take its chroma from the pair that starts one pixel earlier. Only odd visible rects
// (rare: browsers report even ones) lose a column or row.
Rect even_visible(const SourceFrame& f) {
  const int left = (f.visible_x + 1) & ~1, top = (f.visible_y + 1) & ~1;
  const int right = (f.visible_x + f.visible_width) & ~1, bottom = (f.visible_y + f.visible_height) & ~1;
  return {left, top, right - left, bottom - top};
}

// The largest centred rect inside `v` with the aspect target_width:target_height, with even offsets
// and sizes.
Rect centred_crop(const Rect& v, int target_width, int target_height) {
  int w = v.width, h = v.height;
  // w/h against tw/th without division: w*th against h*tw (64-bit; sides are at most 4096).
  if (int64_t{w} * target_height > int64_t{h} * target_width) {
    w = static_cast<int>(int64_t{h} * target_width / target_height);
  } else {
    h = static_cast<int>(int64_t{w} * target_height / target_width);
  }
  w = std::max(2, w & ~1);
  h = std::max(2, h & ~1);
  return {v.x + (((v.width - w) / 2) & ~1), v.y + (((v.height - h) / 2) & ~1), w, h};
}

// Bytes the frame's layout needs: VideoFrame.copyTo()'s default layout for its format (planes
// consecutive, each row exactly as wide as the plane; chroma planes round odd sizes up).
size_t required_bytes(const SourceFrame& f) {
  const size_t w = static_cast<size_t>(f.coded_width), h = static_cast<size_t>(f.coded_height);
  const size_t cw = (w + 1) / 2, ch = (h + 1) / 2;
  switch (f.format) {
    case PixelFormat::kI420:
    case PixelFormat::kNV12: return w * h + 2 * cw * ch;
    default: return w * h * 4;
  }
}

std::string size_text(int w, int h) { return std::to_string(w) + "x" + std::to_string(h); }

Status validate(const SourceFrame& f, int target_width, int target_height) {
  if (target_width < 2 || target_height < 2 || target_width > kMaxSide || target_height > kMaxSide ||
      target_width % 2 || target_height % 2)
    return Status(ErrorCode::kUnsupported, "target size " + size_text(target_width, target_height) +
                                               " (even sides 2..4096 can be made)");
  if (f.coded_width < 2 || f.coded_height < 2 || f.coded_width > kMaxSide || f.coded_height > kMaxSide)
    return Status(ErrorCode::kUnsupported, "frame size " + size_text(f.coded_width, f.coded_height) +
                                               " (2..4096 a side can be converted)");
  // Each bound on its own, so no sum can overflow: all four are at most 4096 once these pass.
  if (f.visible_x < 0 || f.visible_y < 0 || f.visible_width < 2 || f.visible_height < 2 ||
      f.visible_x > f.coded_width || f.visible_y > f.coded_height ||
      f.visible_width > f.coded_width - f.visible_x || f.visible_height > f.coded_height - f.visible_y)
    return Status(ErrorCode::kInvalid, "visible rect " + size_text(f.visible_width, f.visible_height) + " at " +
                                           std::to_string(f.visible_x) + "," + std::to_string(f.visible_y) +
                                           " is not inside the coded size " + size_text(f.coded_width, f.coded_height));
  const Rect v = even_visible(f);
  if (v.width < 2 || v.height < 2)
    return Status(ErrorCode::kInvalid, "visible rect holds no 2x2 block at even coordinates");
  if (f.data.data() == nullptr || f.data.size() < required_bytes(f))
    return Status(ErrorCode::kInvalid, "frame data holds " + std::to_string(f.data.size()) + " bytes, a " +
                                           size_text(f.coded_width, f.coded_height) + " frame of its format needs " +
                                           std::to_string(required_bytes(f)));
  return Status::Ok();
}

}  // namespace

Result<PixelFormat> parse_pixel_format(const std::string& name) {
  if (name == "I420") return PixelFormat::kI420;
  if (name == "NV12") return PixelFormat::kNV12;
  if (name == "RGBA") return PixelFormat::kRGBA;
  if (name == "RGBX") return PixelFormat::kRGBX;
  if (name == "BGRA") return PixelFormat::kBGRA;
  if (name == "BGRX") return PixelFormat::kBGRX;
  return Status(ErrorCode::kUnsupported, "pixel format '" + name + "' (I420, NV12, RGBA, RGBX, BGRA, BGRX are)");
}

image::I420View FrameConverter::picture() {
  image::I420View v;
  if (out_.empty()) return v;
  v.width = width_;
  v.height = height_;
  v.y = out_.data();
  v.u = v.y + size_t(width_) * height_;
  v.v = v.u + size_t(width_ / 2) * (height_ / 2);
  v.y_stride = width_;
  v.uv_stride = width_ / 2;
  return v;
}

Status FrameConverter::convert(const SourceFrame& f, int target_width, int target_height) {
  LW_RETURN_IF_ERROR(validate(f, target_width, target_height));
  const Rect c = centred_crop(even_visible(f), target_width, target_height);
  width_ = target_width;
  height_ = target_height;
  out_.resize(size_t(width_) * height_ * 3 / 2);  // no allocation once the size is stable
  const image::I420View dst = picture();
  const bool same_size = c.width == width_ && c.height == height_;

  const uint8_t* base = f.data.data();
  const int cw = (f.coded_width + 1) / 2, ch = (f.coded_height + 1) / 2;
  if (f.format == PixelFormat::kI420) {
    const uint8_t* y = base + size_t(c.y) * f.coded_width + c.x;
    const uint8_t* u = base + size_t(f.coded_width) * f.coded_height + size_t(c.y / 2) * cw + c.x / 2;
    const uint8_t* v = u + size_t(cw) * ch;
    const int rc = same_size ? libyuv::I420Copy(y, f.coded_width, u, cw, v, cw, dst.y, dst.y_stride, dst.u,
                                                dst.uv_stride, dst.v, dst.uv_stride, width_, height_)
                             : libyuv::I420Scale(y, f.coded_width, u, cw, v, cw, c.width, c.height, dst.y,
                                                 dst.y_stride, dst.u, dst.uv_stride, dst.v, dst.uv_stride, width_,
                                                 height_, libyuv::kFilterBox);
    return rc == 0 ? Status::Ok() : Status(ErrorCode::kInvalid, "libyuv I420 scale failed");
  }

  // Other formats: convert the crop to I420 (straight into the output when no scaling is needed,
  // else into scratch_), then scale.
  uint8_t *sy = dst.y, *su = dst.u, *sv = dst.v;
  if (!same_size) {
    scratch_.resize(size_t(c.width) * c.height * 3 / 2);
    sy = scratch_.data();
    su = sy + size_t(c.width) * c.height;
    sv = su + size_t(c.width / 2) * (c.height / 2);
  }
  const int sw = c.width, sh = c.height, suv = c.width / 2;
  int rc = 0;
  if (f.format == PixelFormat::kNV12) {
    const uint8_t* y = base + size_t(c.y) * f.coded_width + c.x;
    const uint8_t* uv = base + size_t(f.coded_width) * f.coded_height + size_t(c.y / 2) * (cw * 2) + c.x;
    rc = libyuv::NV12ToI420(y, f.coded_width, uv, cw * 2, sy, sw, su, suv, sv, suv, sw, sh);
  } else {
    const int stride = f.coded_width * 4;
    const uint8_t* p = base + size_t(c.y) * stride + size_t(c.x) * 4;
    // libyuv names formats by little-endian word order: RGBA bytes in memory are its "ABGR", BGRA
    // bytes its "ARGB". The X variants carry an ignored alpha byte in the same place.
    const bool rgba = f.format == PixelFormat::kRGBA || f.format == PixelFormat::kRGBX;
    rc = rgba ? libyuv::ABGRToI420(p, stride, sy, sw, su, suv, sv, suv, sw, sh)
              : libyuv::ARGBToI420(p, stride, sy, sw, su, suv, sv, suv, sw, sh);
  }
  if (rc != 0) return Status(ErrorCode::kInvalid, "libyuv conversion to I420 failed");
  if (same_size) return Status::Ok();
  if (libyuv::I420Scale(sy, sw, su, suv, sv, suv, sw, sh, dst.y, dst.y_stride, dst.u, dst.uv_stride, dst.v,
                        dst.uv_stride, width_, height_, libyuv::kFilterBox) != 0)
    return Status(ErrorCode::kInvalid, "libyuv I420 scale failed");
  return Status::Ok();
}

}  // namespace lw::codecs
