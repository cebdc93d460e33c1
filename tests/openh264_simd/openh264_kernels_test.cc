// OpenH264's wasm SIMD kernels (scripts/patches/openh264-wasm-simd-kernels.patch) against the C
// functions they replace, both taken from the -msimd128 build of libopenh264.a that the SIMD modules
// link: every output must be bit-identical on random blocks and on extreme ones (0/255 pixels, the
// largest residuals, the int16 range of coefficients). Wasm only (tests/CMakeLists.txt).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

// The C versions (C++ linkage, as OpenH264 declares them).
int32_t WelsSampleSad16x16_c (uint8_t*, int32_t, uint8_t*, int32_t);
int32_t WelsSampleSad16x8_c (uint8_t*, int32_t, uint8_t*, int32_t);
int32_t WelsSampleSad8x16_c (uint8_t*, int32_t, uint8_t*, int32_t);
int32_t WelsSampleSad8x8_c (uint8_t*, int32_t, uint8_t*, int32_t);
void WelsSampleSadFour16x16_c (uint8_t*, int32_t, uint8_t*, int32_t, int32_t*);
void WelsSampleSadFour16x8_c (uint8_t*, int32_t, uint8_t*, int32_t, int32_t*);
void WelsSampleSadFour8x16_c (uint8_t*, int32_t, uint8_t*, int32_t, int32_t*);
void WelsSampleSadFour8x8_c (uint8_t*, int32_t, uint8_t*, int32_t, int32_t*);
namespace WelsEnc {
int32_t WelsSampleSatd4x4_c (uint8_t*, int32_t, uint8_t*, int32_t);
int32_t WelsSampleSatd8x8_c (uint8_t*, int32_t, uint8_t*, int32_t);
int32_t WelsSampleSatd16x8_c (uint8_t*, int32_t, uint8_t*, int32_t);
int32_t WelsSampleSatd8x16_c (uint8_t*, int32_t, uint8_t*, int32_t);
int32_t WelsSampleSatd16x16_c (uint8_t*, int32_t, uint8_t*, int32_t);
void WelsQuant4x4_c (int16_t*, const int16_t*, const int16_t*);
void WelsQuant4x4Dc_c (int16_t*, int16_t, int16_t);
void WelsQuantFour4x4_c (int16_t*, const int16_t*, const int16_t*);
void WelsQuantFour4x4Max_c (int16_t*, const int16_t*, const int16_t*, int16_t*);
void WelsDctT4_c (int16_t*, uint8_t*, int32_t, uint8_t*, int32_t);
void WelsDctFourT4_c (int16_t*, uint8_t*, int32_t, uint8_t*, int32_t);
void WelsIDctT4Rec_c (uint8_t*, int32_t, uint8_t*, int32_t, int16_t*);
void WelsIDctFourT4Rec_c (uint8_t*, int32_t, uint8_t*, int32_t, int16_t*);
extern const int16_t g_kiQuantInterFF[58][8];
extern const int16_t g_kiQuantMF[52][8];
}  // namespace WelsEnc
namespace WelsVP {
void VAACalcSadBgd_c (const uint8_t*, const uint8_t*, int32_t, int32_t, int32_t, int32_t*, int32_t*, int32_t*,
                      uint8_t*);
}  // namespace WelsVP

// The wasm SIMD versions (codec/common/inc/wels_wasm_simd.h of the patch).
extern "C" {
int32_t WelsSampleSad16x16_wasm (uint8_t*, int32_t, uint8_t*, int32_t);
int32_t WelsSampleSad16x8_wasm (uint8_t*, int32_t, uint8_t*, int32_t);
int32_t WelsSampleSad8x16_wasm (uint8_t*, int32_t, uint8_t*, int32_t);
int32_t WelsSampleSad8x8_wasm (uint8_t*, int32_t, uint8_t*, int32_t);
void WelsSampleSadFour16x16_wasm (uint8_t*, int32_t, uint8_t*, int32_t, int32_t*);
void WelsSampleSadFour16x8_wasm (uint8_t*, int32_t, uint8_t*, int32_t, int32_t*);
void WelsSampleSadFour8x16_wasm (uint8_t*, int32_t, uint8_t*, int32_t, int32_t*);
void WelsSampleSadFour8x8_wasm (uint8_t*, int32_t, uint8_t*, int32_t, int32_t*);
int32_t WelsSampleSatd4x4_wasm (uint8_t*, int32_t, uint8_t*, int32_t);
int32_t WelsSampleSatd8x8_wasm (uint8_t*, int32_t, uint8_t*, int32_t);
int32_t WelsSampleSatd16x8_wasm (uint8_t*, int32_t, uint8_t*, int32_t);
int32_t WelsSampleSatd8x16_wasm (uint8_t*, int32_t, uint8_t*, int32_t);
int32_t WelsSampleSatd16x16_wasm (uint8_t*, int32_t, uint8_t*, int32_t);
void WelsQuant4x4_wasm (int16_t*, const int16_t*, const int16_t*);
void WelsQuant4x4Dc_wasm (int16_t*, int16_t, int16_t);
void WelsQuantFour4x4_wasm (int16_t*, const int16_t*, const int16_t*);
void WelsQuantFour4x4Max_wasm (int16_t*, const int16_t*, const int16_t*, int16_t*);
void WelsDctT4_wasm (int16_t*, uint8_t*, int32_t, uint8_t*, int32_t);
void WelsDctFourT4_wasm (int16_t*, uint8_t*, int32_t, uint8_t*, int32_t);
void WelsIDctT4Rec_wasm (uint8_t*, int32_t, uint8_t*, int32_t, int16_t*);
void WelsIDctFourT4Rec_wasm (uint8_t*, int32_t, uint8_t*, int32_t, int16_t*);
void VAACalcSadBgd_wasm (const uint8_t*, const uint8_t*, int32_t, int32_t, int32_t, int32_t*, int32_t*, int32_t*,
                         uint8_t*);
}

namespace {

constexpr int kRounds = 400;

// Pixel planes with a margin (the SadFour kernels read one row/column outside the block).
struct Planes {
  static constexpr int kStride = 48, kRows = 40, kOrigin = 4 * kStride + 8;
  std::vector<uint8_t> a = std::vector<uint8_t> (kStride * kRows), b = a;
  uint8_t* pa() { return a.data() + kOrigin; }
  uint8_t* pb() { return b.data() + kOrigin; }
};

// Round r picks the content: random, the largest residual both ways, flat, small noise around a level,
// random extremes (each pixel 0 or 255).
void Fill (Planes& p, int round, std::mt19937& rng) {
  std::uniform_int_distribution<int> byte (0, 255), bit (0, 1), noise (-3, 3);
  const int kind = round % 6;
  for (size_t i = 0; i < p.a.size(); ++i) {
    int x = byte (rng), y = byte (rng);
    switch (kind) {
    case 1: x = 255; y = 0; break;
    case 2: x = 0; y = 255; break;
    case 3: x = y = 128; break;
    case 4: y = std::min (255, std::max (0, x + noise (rng))); break;
    case 5: x = bit (rng) * 255; y = bit (rng) * 255; break;
    default: break;
    }
    p.a[i] = uint8_t (x);
    p.b[i] = uint8_t (y);
  }
}

using Metric = int32_t (*) (uint8_t*, int32_t, uint8_t*, int32_t);
using Four = void (*) (uint8_t*, int32_t, uint8_t*, int32_t, int32_t*);

void ExpectSameMetric (const char* name, Metric c, Metric wasm) {
  std::mt19937 rng (1234);
  Planes p;
  for (int r = 0; r < kRounds; ++r) {
    Fill (p, r, rng);
    // odd strides and offsets too: the kernels must not assume alignment
    const int s1 = r % 3 == 0 ? Planes::kStride : Planes::kStride - 1 - r % 7;
    const int s2 = r % 2 == 0 ? Planes::kStride : Planes::kStride - 3;
    const int off = r % 5;
    ASSERT_EQ (c (p.pa() + off, s1, p.pb() + off, s2), wasm (p.pa() + off, s1, p.pb() + off, s2))
        << name << " round " << r;
  }
}

void ExpectSameFour (const char* name, Four c, Four wasm) {
  std::mt19937 rng (99);
  Planes p;
  for (int r = 0; r < kRounds; ++r) {
    Fill (p, r, rng);
    int32_t sc[4], sw[4];
    const int off = r % 3;
    c (p.pa() + off, Planes::kStride, p.pb() + off, Planes::kStride - r % 2, sc);
    wasm (p.pa() + off, Planes::kStride, p.pb() + off, Planes::kStride - r % 2, sw);
    for (int k = 0; k < 4; ++k) ASSERT_EQ (sc[k], sw[k]) << name << " round " << r << " sad " << k;
  }
}

}  // namespace

TEST (OpenH264WasmSimd, Sad) {
  ExpectSameMetric ("Sad16x16", WelsSampleSad16x16_c, WelsSampleSad16x16_wasm);
  ExpectSameMetric ("Sad16x8", WelsSampleSad16x8_c, WelsSampleSad16x8_wasm);
  ExpectSameMetric ("Sad8x16", WelsSampleSad8x16_c, WelsSampleSad8x16_wasm);
  ExpectSameMetric ("Sad8x8", WelsSampleSad8x8_c, WelsSampleSad8x8_wasm);
  ExpectSameFour ("SadFour16x16", WelsSampleSadFour16x16_c, WelsSampleSadFour16x16_wasm);
  ExpectSameFour ("SadFour16x8", WelsSampleSadFour16x8_c, WelsSampleSadFour16x8_wasm);
  ExpectSameFour ("SadFour8x16", WelsSampleSadFour8x16_c, WelsSampleSadFour8x16_wasm);
  ExpectSameFour ("SadFour8x8", WelsSampleSadFour8x8_c, WelsSampleSadFour8x8_wasm);
}

TEST (OpenH264WasmSimd, Satd) {
  ExpectSameMetric ("Satd4x4", WelsEnc::WelsSampleSatd4x4_c, WelsSampleSatd4x4_wasm);
  ExpectSameMetric ("Satd8x8", WelsEnc::WelsSampleSatd8x8_c, WelsSampleSatd8x8_wasm);
  ExpectSameMetric ("Satd16x8", WelsEnc::WelsSampleSatd16x8_c, WelsSampleSatd16x8_wasm);
  ExpectSameMetric ("Satd8x16", WelsEnc::WelsSampleSatd8x16_c, WelsSampleSatd8x16_wasm);
  ExpectSameMetric ("Satd16x16", WelsEnc::WelsSampleSatd16x16_c, WelsSampleSatd16x16_wasm);
}

TEST (OpenH264WasmSimd, Quant) {
  std::mt19937 rng (7);
  std::uniform_int_distribution<int> coef (-32768, 32767), small (-600, 600), pick (0, 7);
  const int16_t kEdges[] = {-32768, -32767, -1, 0, 1, 32767};
  for (int qp = 0; qp < 52; ++qp) {
    const int16_t* ff = WelsEnc::g_kiQuantInterFF[qp];
    const int16_t* mf = WelsEnc::g_kiQuantMF[qp];
    for (int r = 0; r < 40; ++r) {
      alignas (16) int16_t c[64], w[64];
      for (int i = 0; i < 64; ++i)
        c[i] = int16_t (r % 4 == 0 ? kEdges[pick (rng) % 6] : r % 4 == 1 ? coef (rng) : small (rng));
      std::memcpy (w, c, sizeof c);
      int16_t maxc[4], maxw[4];
      WelsEnc::WelsQuantFour4x4Max_c (c, ff, mf, maxc);
      WelsQuantFour4x4Max_wasm (w, ff, mf, maxw);
      ASSERT_EQ (0, std::memcmp (c, w, sizeof c)) << "QuantFour4x4Max qp " << qp << " round " << r;
      ASSERT_EQ (0, std::memcmp (maxc, maxw, sizeof maxc)) << "QuantFour4x4Max max qp " << qp << " round " << r;

      for (int i = 0; i < 64; ++i) c[i] = w[i] = int16_t (r % 2 ? coef (rng) : small (rng));
      WelsEnc::WelsQuantFour4x4_c (c, ff, mf);
      WelsQuantFour4x4_wasm (w, ff, mf);
      ASSERT_EQ (0, std::memcmp (c, w, sizeof c)) << "QuantFour4x4 qp " << qp << " round " << r;

      for (int i = 0; i < 16; ++i) c[i] = w[i] = int16_t (r % 2 ? coef (rng) : small (rng));
      WelsEnc::WelsQuant4x4_c (c, ff, mf);
      WelsQuant4x4_wasm (w, ff, mf);
      ASSERT_EQ (0, std::memcmp (c, w, 32)) << "Quant4x4 qp " << qp << " round " << r;

      // the DC call of the encoder: (pFF[0] << 1, pMF[0] >> 1)
      for (int i = 0; i < 16; ++i) c[i] = w[i] = int16_t (r % 2 ? coef (rng) : small (rng));
      WelsEnc::WelsQuant4x4Dc_c (c, int16_t (ff[0] << 1), int16_t (mf[0] >> 1));
      WelsQuant4x4Dc_wasm (w, int16_t (ff[0] << 1), int16_t (mf[0] >> 1));
      ASSERT_EQ (0, std::memcmp (c, w, 32)) << "Quant4x4Dc qp " << qp << " round " << r;
    }
  }
}

TEST (OpenH264WasmSimd, Dct) {
  std::mt19937 rng (11);
  Planes p;
  for (int r = 0; r < kRounds; ++r) {
    Fill (p, r, rng);
    const int s1 = Planes::kStride - r % 4, s2 = Planes::kStride - r % 3, off = r % 5;
    alignas (16) int16_t c[64], w[64];
    WelsEnc::WelsDctT4_c (c, p.pa() + off, s1, p.pb() + off, s2);
    WelsDctT4_wasm (w, p.pa() + off, s1, p.pb() + off, s2);
    ASSERT_EQ (0, std::memcmp (c, w, 32)) << "DctT4 round " << r;
    WelsEnc::WelsDctFourT4_c (c, p.pa() + off, s1, p.pb() + off, s2);
    WelsDctFourT4_wasm (w, p.pa() + off, s1, p.pb() + off, s2);
    ASSERT_EQ (0, std::memcmp (c, w, sizeof c)) << "DctFourT4 round " << r;
  }
}

TEST (OpenH264WasmSimd, IDct) {
  std::mt19937 rng (13);
  std::uniform_int_distribution<int> coef (-32768, 32767), small (-2048, 2047);
  Planes pred, rec;
  for (int r = 0; r < kRounds; ++r) {
    Fill (pred, r, rng);
    alignas (16) int16_t dct[64];
    for (int i = 0; i < 64; ++i) {
      dct[i] = int16_t (r % 3 == 0 ? coef (rng) : small (rng));
      if (r % 7 == 6) dct[i] = i % 2 ? 32767 : -32768;
    }
    const int s = Planes::kStride - r % 4, ps = Planes::kStride - r % 3, off = r % 5;
    rec.a.assign (rec.a.size(), 0x5a);
    rec.b.assign (rec.b.size(), 0x5a);
    WelsEnc::WelsIDctT4Rec_c (rec.pa() + off, s, pred.pa() + off, ps, dct);
    WelsIDctT4Rec_wasm (rec.pb() + off, s, pred.pa() + off, ps, dct);
    ASSERT_EQ (rec.a, rec.b) << "IDctT4Rec round " << r;
    WelsEnc::WelsIDctFourT4Rec_c (rec.pa() + off, s, pred.pb() + off, ps, dct);
    WelsIDctFourT4Rec_wasm (rec.pb() + off, s, pred.pb() + off, ps, dct);
    ASSERT_EQ (rec.a, rec.b) << "IDctFourT4Rec round " << r;
  }
}

TEST (OpenH264WasmSimd, VaaSadBgd) {
  std::mt19937 rng (17);
  std::uniform_int_distribution<int> byte (0, 255), noise (-20, 20);
  const int kW = 96, kH = 64, kStride = 112;
  std::vector<uint8_t> cur (kStride * kH), ref (cur.size());
  const int kMbs = (kW / 16) * (kH / 16);
  for (int r = 0; r < 60; ++r) {
    for (size_t i = 0; i < cur.size(); ++i) {
      const int x = byte (rng);
      switch (r % 4) {
      case 0: cur[i] = uint8_t (x); ref[i] = uint8_t (byte (rng)); break;
      case 1: cur[i] = 255; ref[i] = 0; break;
      case 2: cur[i] = 0; ref[i] = (i / 3) % 2 ? 255 : 0; break;
      default: cur[i] = uint8_t (x); ref[i] = uint8_t (std::min (255, std::max (0, x + noise (rng)))); break;
      }
    }
    std::vector<int32_t> sadC (kMbs * 4, -1), sadW = sadC, sdC = sadC, sdW = sadC;
    std::vector<uint8_t> madC (kMbs * 4, 7), madW = madC;
    int32_t frameC = -1, frameW = -2;
    WelsVP::VAACalcSadBgd_c (cur.data(), ref.data(), kW, kH, kStride, &frameC, sadC.data(), sdC.data(), madC.data());
    VAACalcSadBgd_wasm (cur.data(), ref.data(), kW, kH, kStride, &frameW, sadW.data(), sdW.data(), madW.data());
    ASSERT_EQ (frameC, frameW) << "round " << r;
    ASSERT_EQ (sadC, sadW) << "round " << r;
    ASSERT_EQ (sdC, sdW) << "round " << r;
    ASSERT_EQ (madC, madW) << "round " << r;
  }
}
