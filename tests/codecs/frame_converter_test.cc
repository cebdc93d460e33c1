// FrameConverter: where a marker lands after crop + scale, for every input format; colours survive the
// RGBA/BGRA byte orders; hostile sizes are refused before any pixel is read.
#include "codecs/frame_converter.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace lw::codecs {
namespace {

struct Rgb {
  uint8_t r, g, b;
};
constexpr Rgb kGrey{40, 40, 40};
constexpr Rgb kOutside{250, 250, 250};  // coded area outside the visible rect: must never show
constexpr Rgb kRed{255, 0, 0};
constexpr Rgb kBlue{0, 0, 255};

// BT.601 limited range, as libyuv's RGB -> I420.
uint8_t luma(Rgb c) { return static_cast<uint8_t>((66 * c.r + 129 * c.g + 25 * c.b + 128) / 256 + 16); }
uint8_t cb(Rgb c) { return static_cast<uint8_t>((-38 * c.r - 74 * c.g + 112 * c.b + 128) / 256 + 128); }
uint8_t cr(Rgb c) { return static_cast<uint8_t>((112 * c.r - 94 * c.g - 18 * c.b + 128) / 256 + 128); }

// A coded picture: kOutside everywhere outside `visible`, kGrey inside, and filled rectangles (markers).
struct Marker {
  int x, y, w, h;
  Rgb colour;
};
struct Scene {
  int coded_w, coded_h, vx, vy, vw, vh;
  std::vector<Marker> markers;
  Rgb at(int x, int y) const {
    if (x < vx || y < vy || x >= vx + vw || y >= vy + vh) return kOutside;
    for (const Marker& m : markers)
      if (x >= m.x && y >= m.y && x < m.x + m.w && y < m.y + m.h) return m.colour;
    return kGrey;
  }
};

// The scene laid out as VideoFrame.copyTo() would for `format`.
Bytes render(const Scene& s, PixelFormat format) {
  const int w = s.coded_w, h = s.coded_h, cw = (w + 1) / 2, ch = (h + 1) / 2;
  Bytes b;
  if (format == PixelFormat::kI420 || format == PixelFormat::kNV12) {
    b.resize(size_t(w) * h + 2 * size_t(cw) * ch);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) b[size_t(y) * w + x] = luma(s.at(x, y));
    uint8_t* u = b.data() + size_t(w) * h;
    uint8_t* v = u + size_t(cw) * ch;
    for (int y = 0; y < ch; ++y)
      for (int x = 0; x < cw; ++x) {
        const Rgb c = s.at(2 * x, 2 * y);
        if (format == PixelFormat::kI420) {
          u[size_t(y) * cw + x] = cb(c);
          v[size_t(y) * cw + x] = cr(c);
        } else {
          u[size_t(y) * cw * 2 + 2 * x] = cb(c);
          u[size_t(y) * cw * 2 + 2 * x + 1] = cr(c);
        }
      }
    return b;
  }
  b.resize(size_t(w) * h * 4);
  const bool rgb_order = format == PixelFormat::kRGBA || format == PixelFormat::kRGBX;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const Rgb c = s.at(x, y);
      uint8_t* p = &b[(size_t(y) * w + x) * 4];
      p[0] = rgb_order ? c.r : c.b;
      p[1] = c.g;
      p[2] = rgb_order ? c.b : c.r;
      p[3] = format == PixelFormat::kRGBX || format == PixelFormat::kBGRX ? 0 : 255;  // X: ignored
    }
  return b;
}

SourceFrame frame_of(const Scene& s, PixelFormat format, const Bytes& data) {
  SourceFrame f;
  f.format = format;
  f.data = ByteSpan(data.data(), data.size());
  f.coded_width = s.coded_w;
  f.coded_height = s.coded_h;
  f.visible_x = s.vx;
  f.visible_y = s.vy;
  f.visible_width = s.vw;
  f.visible_height = s.vh;
  return f;
}

struct Pixel {
  int y, u, v;
};
Pixel pixel(FrameConverter& c, int x, int y) {
  const image::I420View p = c.picture();
  return {p.y[size_t(y) * p.y_stride + x], p.u[size_t(y / 2) * p.uv_stride + x / 2],
          p.v[size_t(y / 2) * p.uv_stride + x / 2]};
}

constexpr PixelFormat kFormats[] = {PixelFormat::kI420, PixelFormat::kNV12, PixelFormat::kRGBA,
                                    PixelFormat::kRGBX, PixelFormat::kBGRA, PixelFormat::kBGRX};

class FrameConverterFormats : public ::testing::TestWithParam<PixelFormat> {};

// Chromium's fake camera: 640x480 coded, 640x360 visible at y=60. The rows above and below must not
// leak in; a red block at visible (100,40) 40x20 lands at (50,20) 20x10 after halving; a blue one at the
// bottom-right corner stays in the corner.
TEST_P(FrameConverterFormats, ScalesTheVisibleRectAndPutsMarkersWhereTheyBelong) {
  const Scene s{640, 480, 0, 60, 640, 360, {{100, 100, 40, 20, kRed}, {600, 400, 40, 20, kBlue}}};
  const Bytes data = render(s, GetParam());
  FrameConverter c;
  ASSERT_TRUE(c.convert(frame_of(s, GetParam(), data), 320, 180).ok());
  ASSERT_EQ(c.width(), 320);
  ASSERT_EQ(c.height(), 180);
  ASSERT_EQ(c.bytes().size(), 320u * 180 * 3 / 2);
  const Pixel red = pixel(c, 60, 25), blue = pixel(c, 310, 175), grey = pixel(c, 160, 90);
  EXPECT_NEAR(red.y, luma(kRed), 3);
  EXPECT_NEAR(red.u, cb(kRed), 4);
  EXPECT_NEAR(red.v, cr(kRed), 4);
  EXPECT_NEAR(blue.y, luma(kBlue), 3);
  EXPECT_NEAR(blue.u, cb(kBlue), 4);
  EXPECT_NEAR(blue.v, cr(kBlue), 4);
  EXPECT_NEAR(grey.y, luma(kGrey), 2);
  // Edges of the marker: one output pixel outside it is grey again.
  EXPECT_NEAR(pixel(c, 48, 25).y, luma(kGrey), 2);
  EXPECT_NEAR(pixel(c, 71, 25).y, luma(kGrey), 2);
  // No row of the white area above and below the visible rect made it in.
  for (int x = 0; x < 320; x += 8) {
    EXPECT_LT(pixel(c, x, 0).y, luma(kOutside) - 100) << x;
    EXPECT_LT(pixel(c, x, 179).y, luma(kOutside) - 100) << x;
  }
}

// A 4:3 visible picture to a 16:9 target: the crop keeps the centred 640x360 band (rows 60..419). A
// marker just inside the band shows at the top; one above it is cut away.
TEST_P(FrameConverterFormats, CropsToTheTargetAspectAroundTheCentre) {
  const Scene s{640, 480, 0, 0, 640, 480, {{300, 62, 40, 8, kRed}, {100, 20, 40, 20, kBlue}}};
  const Bytes data = render(s, GetParam());
  FrameConverter c;
  ASSERT_TRUE(c.convert(frame_of(s, GetParam(), data), 640, 360).ok());  // crop only, no scaling
  EXPECT_NEAR(pixel(c, 320, 4).y, luma(kRed), 2);   // source row 64 -> output row 4
  EXPECT_NEAR(pixel(c, 320, 4).v, cr(kRed), 4);
  EXPECT_NEAR(pixel(c, 320, 0).y, luma(kGrey), 2);  // source row 60: above the marker
  for (int x = 0; x < 640; x += 4) EXPECT_NEAR(pixel(c, x, 12).y, luma(kGrey), 2) << x;
  // The blue marker (source rows 20..39) lies above the band: nowhere in the output.
  const image::I420View p = c.picture();
  for (int y = 0; y < 180; ++y)
    for (int x = 0; x < 320; ++x) ASSERT_LT(p.u[size_t(y) * p.uv_stride + x], 200) << x << "," << y;
}

// A 16:9 picture to a 1:1 target: the centred 360x360 square (columns 140..499), scaled to 180x180.
TEST_P(FrameConverterFormats, CropsSidesForANarrowerTarget) {
  const Scene s{640, 360, 0, 0, 640, 360, {{140, 100, 20, 20, kRed}, {100, 100, 20, 20, kBlue}}};
  const Bytes data = render(s, GetParam());
  FrameConverter c;
  ASSERT_TRUE(c.convert(frame_of(s, GetParam(), data), 180, 180).ok());
  EXPECT_NEAR(pixel(c, 4, 55).y, luma(kRed), 3);  // source (148,110) -> (4,55)
  const image::I420View p = c.picture();
  for (int y = 0; y < 90; ++y)
    for (int x = 0; x < 90; ++x) ASSERT_LT(p.u[size_t(y) * p.uv_stride + x], 200) << x << "," << y;  // no blue
}

TEST_P(FrameConverterFormats, RejectsDataOneByteShortOfItsLayout) {
  const Scene s{64, 48, 0, 0, 64, 48, {}};
  const Bytes data = render(s, GetParam());
  FrameConverter c;
  SourceFrame f = frame_of(s, GetParam(), data);
  ASSERT_TRUE(c.convert(f, 32, 24).ok());
  f.data = ByteSpan(data.data(), data.size() - 1);
  const Status st = c.convert(f, 32, 24);
  EXPECT_EQ(st.code(), ErrorCode::kInvalid) << st.reason();
}

INSTANTIATE_TEST_SUITE_P(AllFormats, FrameConverterFormats, ::testing::ValuesIn(kFormats));

// Odd coded sizes: copyTo rounds the chroma planes up ((w+1)/2), and so must the size check and the
// plane offsets.
TEST(FrameConverter, HandlesOddCodedSizesWithRoundedUpChromaPlanes) {
  const Scene s{65, 49, 0, 0, 65, 49, {{32, 24, 8, 8, kRed}}};
  for (PixelFormat format : {PixelFormat::kI420, PixelFormat::kNV12}) {
    const Bytes data = render(s, format);
    EXPECT_EQ(data.size(), 65u * 49 + 2 * 33 * 25);
    FrameConverter c;
    ASSERT_TRUE(c.convert(frame_of(s, format, data), 64, 48).ok());
    EXPECT_NEAR(pixel(c, 34, 26).v, cr(kRed), 6);
  }
}

TEST(FrameConverter, ReusesItsOutputBufferWhileTheSizeStays) {
  const Scene s{640, 480, 0, 60, 640, 360, {}};
  const Bytes data = render(s, PixelFormat::kRGBA);
  FrameConverter c;
  ASSERT_TRUE(c.convert(frame_of(s, PixelFormat::kRGBA, data), 320, 180).ok());
  const uint8_t* first = c.bytes().data();
  ASSERT_TRUE(c.convert(frame_of(s, PixelFormat::kRGBA, data), 320, 180).ok());
  EXPECT_EQ(c.bytes().data(), first);
}

TEST(FrameConverter, RefusesHostileGeometryWithoutReading) {
  const Bytes data(64 * 48 * 4, 0);
  FrameConverter c;
  auto code = [&](SourceFrame f, int tw, int th) { return c.convert(f, tw, th).code(); };
  SourceFrame ok{PixelFormat::kRGBA, ByteSpan(data.data(), data.size()), 64, 48, 0, 0, 64, 48};
  EXPECT_EQ(code(ok, 32, 24), ErrorCode::kOk);

  SourceFrame f = ok;
  f.coded_width = 4096;  // the data is for 64x48
  f.coded_height = 4096;
  f.visible_width = 4096;
  f.visible_height = 4096;
  EXPECT_EQ(code(f, 32, 24), ErrorCode::kInvalid);
  f = ok;
  f.visible_x = 10;  // 10 + 64 > 64
  EXPECT_EQ(code(f, 32, 24), ErrorCode::kInvalid);
  f = ok;
  f.visible_y = -2;
  EXPECT_EQ(code(f, 32, 24), ErrorCode::kInvalid);
  f = ok;
  f.visible_width = 0x7fffffff;  // overflow bait: x + width
  f.visible_x = 2;
  EXPECT_EQ(code(f, 32, 24), ErrorCode::kInvalid);
  f = ok;
  f.visible_x = 1;  // 1x1 at an odd place: no 2x2 block at even coordinates
  f.visible_width = 2;
  EXPECT_EQ(code(f, 32, 24), ErrorCode::kInvalid);
  f = ok;
  f.data = ByteSpan();
  EXPECT_EQ(code(f, 32, 24), ErrorCode::kInvalid);
  f = ok;
  f.coded_width = -64;
  EXPECT_EQ(code(f, 32, 24), ErrorCode::kUnsupported);
  f = ok;
  f.coded_width = 8192;
  EXPECT_EQ(code(f, 32, 24), ErrorCode::kUnsupported);
  EXPECT_EQ(code(ok, 33, 24), ErrorCode::kUnsupported);  // odd target
  EXPECT_EQ(code(ok, 0, 24), ErrorCode::kUnsupported);
  EXPECT_EQ(code(ok, 8192, 24), ErrorCode::kUnsupported);
}

TEST(FrameConverter, ParsesTheVideoFrameFormatNames) {
  EXPECT_EQ(parse_pixel_format("I420").value(), PixelFormat::kI420);
  EXPECT_EQ(parse_pixel_format("NV12").value(), PixelFormat::kNV12);
  EXPECT_EQ(parse_pixel_format("RGBA").value(), PixelFormat::kRGBA);
  EXPECT_EQ(parse_pixel_format("BGRX").value(), PixelFormat::kBGRX);
  EXPECT_EQ(parse_pixel_format("I420A").status().code(), ErrorCode::kUnsupported);
  EXPECT_EQ(parse_pixel_format("").status().code(), ErrorCode::kUnsupported);
}

}  // namespace
}  // namespace lw::codecs
