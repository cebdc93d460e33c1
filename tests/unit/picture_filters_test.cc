// beauty and whiteness (wasm/core/image/) on synthetic pictures: level 0 changes nothing, the direction of
// each effect, edges kept, stride padding untouched.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "image/beauty_filter.h"
#include "image/whiteness_filter.h"

namespace lw::image {
namespace {

struct Picture {
  int w, h, stride;
  std::vector<uint8_t> y, u, v;
  Picture(int width, int height, int pad, uint8_t cb, uint8_t cr)
      : w(width), h(height), stride(width + pad), y(size_t(stride) * height, 0xAB),
        u(size_t(stride / 2 + pad) * (height / 2), cb), v(size_t(stride / 2 + pad) * (height / 2), cr) {}
  I420View view() { return {y.data(), u.data(), v.data(), stride, stride / 2 + (stride - w), w, h}; }
  uint8_t& at(int x, int yy) { return y[size_t(yy) * stride + x]; }
};

// A flat area (luma 150) with deterministic noise of +-amp.
void noisy(Picture& p, int amp) {
  uint32_t seed = 12345;
  for (int yy = 0; yy < p.h; ++yy)
    for (int x = 0; x < p.w; ++x) {
      seed = seed * 1103515245u + 12345u;
      p.at(x, yy) = static_cast<uint8_t>(150 + int((seed >> 16) % (2 * amp + 1)) - amp);
    }
}

double local_variance(Picture& p) {
  double sum = 0;
  int n = 0;
  for (int yy = 1; yy < p.h; ++yy)
    for (int x = 1; x < p.w; ++x) {
      const double d = double(p.at(x, yy)) - p.at(x - 1, yy);
      sum += d * d;
      ++n;
    }
  return sum / n;
}

double mean_luma(Picture& p) {
  double s = 0;
  for (int yy = 0; yy < p.h; ++yy)
    for (int x = 0; x < p.w; ++x) s += p.at(x, yy);
  return s / (p.w * p.h);
}

TEST(PictureFilters, LevelZeroChangesNotOneByte) {
  Picture p(64, 48, 8, 110, 150);
  noisy(p, 20);
  const Picture before = p;
  BeautyFilter b;
  WhitenessFilter w;
  b.apply(0, p.view());
  w.apply(0, p.view());
  b.apply(-3, p.view());  // clamped to 0
  EXPECT_EQ(p.y, before.y);
  EXPECT_EQ(p.u, before.u);
  EXPECT_EQ(p.v, before.v);
}

TEST(PictureFilters, WhitenessLiftsMonotonicallyWithoutClipping) {
  double last = 0;
  for (int level = 0; level <= 9; ++level) {
    Picture p(256, 2, 4, 100, 160);
    for (int x = 0; x < 256; ++x) p.at(x, 0) = p.at(x, 1) = static_cast<uint8_t>(x);
    WhitenessFilter w;
    w.apply(level, p.view());
    EXPECT_EQ(p.at(0, 0), 0);
    EXPECT_EQ(p.at(255, 0), 255);
    for (int x = 1; x < 256; ++x) ASSERT_GE(p.at(x, 0), p.at(x - 1, 0)) << "luma order kept, level " << level;
    const double m = mean_luma(p);
    EXPECT_GE(m, last) << level;
    last = m;
    if (level > 0) {
      EXPECT_GT(p.u[0], 100) << "chroma toward neutral";
      EXPECT_LT(p.v[0], 160);
    }
  }
  EXPECT_GT(last, 127.5 + 20) << "level 9 lifts the mid-tones clearly";
}

TEST(PictureFilters, BeautySmoothsSkinMoreWithTheLevelAndKeepsEdges) {
  double last = 1e9;
  for (int level : {0, 3, 6, 9}) {
    Picture p(96, 64, 8, 110, 150);  // skin-coloured chroma
    noisy(p, 12);
    BeautyFilter b;
    b.apply(level, p.view());
    const double var = local_variance(p);
    EXPECT_LE(var, last) << level;
    last = var;
  }
  Picture fresh(96, 64, 8, 110, 150);
  noisy(fresh, 12);
  EXPECT_LT(last, local_variance(fresh) * 0.5) << "level 9 at least halves the noise energy";

  Picture edge(64, 32, 0, 110, 150);
  for (int yy = 0; yy < 32; ++yy)
    for (int x = 0; x < 64; ++x) edge.at(x, yy) = x < 32 ? 60 : 160;
  BeautyFilter b;
  b.apply(9, edge.view());
  EXPECT_EQ(edge.at(31, 10), 60) << "a 100-level step is an edge, kept exactly";
  EXPECT_EQ(edge.at(32, 10), 160);
}

TEST(PictureFilters, BeautySmoothsSkinMoreThanOtherColours) {
  Picture skin(96, 64, 0, 110, 150), sky(96, 64, 0, 180, 90);
  noisy(skin, 12);
  noisy(sky, 12);
  BeautyFilter b;
  b.apply(6, skin.view());
  b.apply(6, sky.view());
  EXPECT_LT(local_variance(skin), local_variance(sky));
}

TEST(PictureFilters, StridePaddingTinyAndLargePictures) {
  Picture p(40, 20, 24, 110, 150);
  noisy(p, 10);
  BeautyFilter b;
  WhitenessFilter w;
  b.apply(9, p.view());
  w.apply(9, p.view());
  for (int yy = 0; yy < p.h; ++yy)
    for (int x = p.w; x < p.stride; ++x) ASSERT_EQ(p.at(x, yy), 0xAB) << "padding untouched";
  Picture tiny(2, 2, 0, 110, 150);
  b.apply(9, tiny.view());
  w.apply(9, tiny.view());
  Picture hd(1920, 1080, 0, 110, 150);
  noisy(hd, 8);
  b.apply(9, hd.view());
  EXPECT_LT(local_variance(hd), 40);
}

}  // namespace
}  // namespace lw::image
