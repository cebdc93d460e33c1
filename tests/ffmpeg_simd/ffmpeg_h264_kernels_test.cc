// FFmpeg's H.264 wasm SIMD kernels (scripts/patches/ffmpeg-wasm-simd-h264-kernels.patch) against the C
// functions they replace, both from the -msimd128 libavcodec.a the SIMD modules link: the C tables come
// from the init functions with ff_h264_wasm_simd = 0, the SIMD ones with 1. Every kernel writes the same
// bytes as the C version, on and around its block, for random pixels and parameters and for extreme
// ones (0/255 planes, the weight/offset/denominator limits, every subpel position, every block height).
// Wasm only (tests/CMakeLists.txt).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

extern "C" {
#include "libavcodec/h264chroma.h"
#include "libavcodec/h264dsp.h"
#include "libavcodec/h264qpel.h"
}

namespace {

struct Tables {
  H264ChromaContext chroma;
  H264DSPContext dsp;
  H264QpelContext qpel;
};

Tables InitTables(int simd) {
  Tables t;
  std::memset(&t, 0, sizeof(t));
  ff_h264_wasm_simd = simd;
  ff_h264chroma_init(&t.chroma, 8);
  ff_h264dsp_init(&t.dsp, 8, 1);
  ff_h264qpel_init(&t.qpel, 8);
  ff_h264_wasm_simd = 1;
  return t;
}

const Tables& C() {
  static const Tables t = InitTables(0);
  return t;
}
const Tables& Simd() {
  static const Tables t = InitTables(1);
  return t;
}

// A plane with room around the block: kStride x kRows, the block at (kMargin, kMargin) plus a shift.
constexpr int kStride = 96;
constexpr int kRows = 64;
constexpr int kMargin = 24;

enum class Fill { kRandom, kZero, kMax, kStripes, kSmooth };
constexpr Fill kFills[] = {Fill::kRandom, Fill::kZero, Fill::kMax, Fill::kStripes, Fill::kSmooth};

std::vector<uint8_t> Plane(std::mt19937& rng, Fill fill) {
  std::vector<uint8_t> p(kStride * kRows);
  std::uniform_int_distribution<int> byte(0, 255), small(-3, 3);
  int base = byte(rng), step = std::uniform_int_distribution<int>(-40, 40)(rng);
  for (int y = 0; y < kRows; ++y) {
    for (int x = 0; x < kStride; ++x) {
      int v = 0;
      switch (fill) {
        case Fill::kRandom: v = byte(rng); break;
        case Fill::kZero: v = 0; break;
        case Fill::kMax: v = 255; break;
        case Fill::kStripes: v = ((x + y) & 1) ? 255 : 0; break;
        // Near-flat with a step at the block's edges (x or y = kMargin + 16k): the loop filter acts.
        case Fill::kSmooth: v = base + small(rng) + (((x - kMargin) & 16) || ((y - kMargin) & 16) ? step : 0); break;
      }
      p[y * kStride + x] = static_cast<uint8_t>(v < 0 ? 0 : v > 255 ? 255 : v);
    }
  }
  return p;
}

#define EXPECT_PLANES_EQ(a, b, what)                                                              \
  do {                                                                                           \
    for (size_t i_ = 0; i_ < (a).size(); ++i_) {                                                 \
      if ((a)[i_] != (b)[i_]) {                                                                  \
        ADD_FAILURE() << what << ": first difference at x=" << i_ % kStride << " y=" << i_ / kStride \
                      << " (C " << int((a)[i_]) << ", SIMD " << int((b)[i_]) << ")";             \
        break;                                                                                   \
      }                                                                                          \
    }                                                                                            \
  } while (0)

TEST(FfmpegH264Simd, TheSimdBuildHooksTheKernels) {
  // Without -msimd128 in FFmpeg's build the tables would be the C ones and every comparison below
  // would pass trivially.
  for (int i = 0; i < 2; ++i) {
    EXPECT_NE(C().chroma.put_h264_chroma_pixels_tab[i], Simd().chroma.put_h264_chroma_pixels_tab[i]) << i;
    EXPECT_NE(C().chroma.avg_h264_chroma_pixels_tab[i], Simd().chroma.avg_h264_chroma_pixels_tab[i]) << i;
    for (int mc = 0; mc < 16; ++mc) {
      EXPECT_NE(C().qpel.put_h264_qpel_pixels_tab[i][mc], Simd().qpel.put_h264_qpel_pixels_tab[i][mc]);
      EXPECT_NE(C().qpel.avg_h264_qpel_pixels_tab[i][mc], Simd().qpel.avg_h264_qpel_pixels_tab[i][mc]);
    }
  }
  for (int i = 0; i < 3; ++i) {
    EXPECT_NE(C().dsp.weight_h264_pixels_tab[i], Simd().dsp.weight_h264_pixels_tab[i]) << i;
    EXPECT_NE(C().dsp.biweight_h264_pixels_tab[i], Simd().dsp.biweight_h264_pixels_tab[i]) << i;
  }
  EXPECT_NE(C().dsp.h264_v_loop_filter_luma, Simd().dsp.h264_v_loop_filter_luma);
  EXPECT_NE(C().dsp.h264_h_loop_filter_luma, Simd().dsp.h264_h_loop_filter_luma);
  EXPECT_NE(C().dsp.h264_v_loop_filter_chroma, Simd().dsp.h264_v_loop_filter_chroma);
  EXPECT_NE(C().dsp.h264_h_loop_filter_chroma, Simd().dsp.h264_h_loop_filter_chroma);
}

TEST(FfmpegH264Simd, ChromaMcIsBitExact) {
  std::mt19937 rng(1);
  const int widths[2] = {8, 4};
  for (int avg = 0; avg < 2; ++avg) {
    for (int i = 0; i < 2; ++i) {
      h264_chroma_mc_func c = avg ? C().chroma.avg_h264_chroma_pixels_tab[i] : C().chroma.put_h264_chroma_pixels_tab[i];
      h264_chroma_mc_func s = avg ? Simd().chroma.avg_h264_chroma_pixels_tab[i] : Simd().chroma.put_h264_chroma_pixels_tab[i];
      for (Fill fill : kFills) {
        for (int h : {1, 2, 4, 8, 16}) {
          for (int x = 0; x < 8; ++x) {
            for (int y = 0; y < 8; ++y) {
              std::vector<uint8_t> src = Plane(rng, fill), dc = Plane(rng, Fill::kRandom), ds = dc;
              int shift = std::uniform_int_distribution<int>(0, 15)(rng);
              int o = kMargin * kStride + kMargin + shift;
              c(dc.data() + o, src.data() + o, kStride, h, x, y);
              s(ds.data() + o, src.data() + o, kStride, h, x, y);
              EXPECT_PLANES_EQ(dc, ds, (avg ? "avg" : "put") << "_h264_chroma_mc" << widths[i] << " h=" << h
                                                             << " x=" << x << " y=" << y);
            }
          }
        }
      }
    }
  }
}

TEST(FfmpegH264Simd, WeightIsBitExact) {
  std::mt19937 rng(2);
  std::uniform_int_distribution<int> w8(-128, 127), denom(0, 7);
  const int widths[3] = {16, 8, 4};
  for (int i = 0; i < 3; ++i) {
    for (Fill fill : kFills) {
      for (int h : {1, 2, 4, 8, 16}) {
        for (int trial = 0; trial < 24; ++trial) {
          // The limits first, then random weights, offsets and denominators; the last four beyond the
          // int8 range H.264 allows (the kernel's 32-bit path).
          int log2_denom = trial < 8 ? (trial & 1 ? 7 : 0) : denom(rng);
          int weight = trial < 8 ? (trial & 2 ? 127 : -128) : w8(rng);
          int offset = trial < 8 ? (trial & 4 ? 127 : -128) : w8(rng);
          if (trial >= 20) {
            weight = std::uniform_int_distribution<int>(-512, 511)(rng);
            offset = std::uniform_int_distribution<int>(-512, 511)(rng);
          }
          std::vector<uint8_t> bc = Plane(rng, fill), bs = bc;
          int o = kMargin * kStride + kMargin + std::uniform_int_distribution<int>(0, 15)(rng);
          C().dsp.weight_h264_pixels_tab[i](bc.data() + o, kStride, h, log2_denom, weight, offset);
          Simd().dsp.weight_h264_pixels_tab[i](bs.data() + o, kStride, h, log2_denom, weight, offset);
          EXPECT_PLANES_EQ(bc, bs, "weight_h264_pixels" << widths[i] << " h=" << h << " denom=" << log2_denom
                                                        << " weight=" << weight << " offset=" << offset);
        }
      }
    }
  }
}

TEST(FfmpegH264Simd, BiweightIsBitExact) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> w8(-128, 127), denom(0, 7), implicit(-64, 128);
  const int widths[3] = {16, 8, 4};
  for (int i = 0; i < 3; ++i) {
    for (Fill fill : kFills) {
      for (int h : {1, 2, 4, 8, 16}) {
        for (int trial = 0; trial < 24; ++trial) {
          int log2_denom, weightd, weights, offset;
          if (trial < 8) {  // explicit limits
            log2_denom = trial & 1 ? 7 : 0;
            weightd = trial & 2 ? 127 : -128;
            weights = trial & 4 ? 127 : -128;
            offset = trial & 1 ? 127 : -128;
          } else if (trial < 12) {  // implicit weights (denominator 5, the two weights sum to 64)
            log2_denom = 5;
            weights = implicit(rng);
            weightd = 64 - weights;
            offset = 0;
          } else {
            log2_denom = denom(rng);
            weightd = w8(rng);
            weights = w8(rng);
            offset = w8(rng);
          }
          std::vector<uint8_t> src = Plane(rng, fill), dc = Plane(rng, trial & 1 ? fill : Fill::kRandom), ds = dc;
          int o = kMargin * kStride + kMargin + std::uniform_int_distribution<int>(0, 15)(rng);
          C().dsp.biweight_h264_pixels_tab[i](dc.data() + o, src.data() + o, kStride, h, log2_denom, weightd,
                                              weights, offset);
          Simd().dsp.biweight_h264_pixels_tab[i](ds.data() + o, src.data() + o, kStride, h, log2_denom, weightd,
                                                 weights, offset);
          EXPECT_PLANES_EQ(dc, ds, "biweight_h264_pixels" << widths[i] << " h=" << h << " denom=" << log2_denom
                                                          << " weightd=" << weightd << " weights=" << weights
                                                          << " offset=" << offset);
        }
      }
    }
  }
}

TEST(FfmpegH264Simd, QpelIsBitExact) {
  std::mt19937 rng(4);
  const int sizes[2] = {16, 8};
  for (int avg = 0; avg < 2; ++avg) {
    for (int i = 0; i < 2; ++i) {
      for (int mc = 0; mc < 16; ++mc) {
        qpel_mc_func c = avg ? C().qpel.avg_h264_qpel_pixels_tab[i][mc] : C().qpel.put_h264_qpel_pixels_tab[i][mc];
        qpel_mc_func s = avg ? Simd().qpel.avg_h264_qpel_pixels_tab[i][mc] : Simd().qpel.put_h264_qpel_pixels_tab[i][mc];
        for (Fill fill : kFills) {
          for (int trial = 0; trial < 6; ++trial) {
            std::vector<uint8_t> src = Plane(rng, fill), dc = Plane(rng, Fill::kRandom), ds = dc;
            int o = kMargin * kStride + kMargin + std::uniform_int_distribution<int>(0, 15)(rng);
            c(dc.data() + o, src.data() + o, kStride);
            s(ds.data() + o, src.data() + o, kStride);
            // mcXY: X quarter-pels horizontally (mc & 3), Y vertically (mc >> 2).
            EXPECT_PLANES_EQ(dc, ds, (avg ? "avg" : "put") << "_h264_qpel" << sizes[i] << "_mc" << (mc & 3)
                                                           << (mc >> 2));
          }
        }
      }
    }
  }
}

TEST(FfmpegH264Simd, LoopFilterIsBitExact) {
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> alpha_d(0, 255), beta_d(0, 18), tc_d(-1, 25), coin(0, 3);
  using Filter = void (*)(uint8_t*, ptrdiff_t, int, int, int8_t*);
  struct Case {
    const char* name;
    Filter c, s;
  } cases[] = {
      {"h264_v_loop_filter_luma", C().dsp.h264_v_loop_filter_luma, Simd().dsp.h264_v_loop_filter_luma},
      {"h264_h_loop_filter_luma", C().dsp.h264_h_loop_filter_luma, Simd().dsp.h264_h_loop_filter_luma},
      {"h264_v_loop_filter_chroma", C().dsp.h264_v_loop_filter_chroma, Simd().dsp.h264_v_loop_filter_chroma},
      {"h264_h_loop_filter_chroma", C().dsp.h264_h_loop_filter_chroma, Simd().dsp.h264_h_loop_filter_chroma},
  };
  for (const Case& k : cases) {
    for (Fill fill : kFills) {
      for (int trial = 0; trial < 200; ++trial) {
        int alpha = trial < 4 ? (trial & 1 ? 255 : 0) : alpha_d(rng);
        int beta = trial < 4 ? (trial & 2 ? 18 : 0) : beta_d(rng);
        int8_t tc0[4];
        for (int8_t& t : tc0) t = static_cast<int8_t>(coin(rng) == 0 ? -1 : coin(rng) == 0 ? 0 : tc_d(rng));
        if (trial == 5) tc0[0] = tc0[1] = tc0[2] = tc0[3] = -1;
        std::vector<uint8_t> pc = Plane(rng, fill), ps = pc;
        // The edge at (kMargin + 16, kMargin + 16): a step in kSmooth planes.
        int o = (kMargin + 16) * kStride + kMargin + 16;
        k.c(pc.data() + o, kStride, alpha, beta, tc0);
        k.s(ps.data() + o, kStride, alpha, beta, tc0);
        EXPECT_PLANES_EQ(pc, ps, k.name << " alpha=" << alpha << " beta=" << beta << " tc0=" << int(tc0[0]) << ","
                                        << int(tc0[1]) << "," << int(tc0[2]) << "," << int(tc0[3]));
      }
    }
  }
}

// The filters must act on some of these planes, or the comparison above proves little.
TEST(FfmpegH264Simd, LoopFilterCasesChangePixels) {
  std::mt19937 rng(6);
  int changed = 0;
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<uint8_t> p = Plane(rng, Fill::kSmooth), before = p;
    int8_t tc0[4] = {2, 4, 8, 16};
    Simd().dsp.h264_h_loop_filter_luma(p.data() + (kMargin + 16) * kStride + kMargin + 16, kStride, 60, 12, tc0);
    changed += p != before;
  }
  EXPECT_GT(changed, 10);
}

}  // namespace
