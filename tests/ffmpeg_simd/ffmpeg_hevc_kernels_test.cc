// FFmpeg's HEVC motion-compensation (plain and explicitly weighted), sample-adaptive-offset, inverse-transform
// and luma deblocking kernels in wasm SIMD (scripts/patches/ffmpeg-wasm-simd-hevc-kernels.patch)
// against the C functions they replace, both from the -msimd128 libavcodec.a the SIMD modules link: the
// patch's ff_hevc_wasm_dsp_function(simd, table, ...) hands out one entry of the 8-bit tables as
// ff_hevc_dsp_init fills them with the kernels off (0) and on (1), so the test needs none of the decoder's
// internal headers. Every kernel writes the same bytes as the C version, on and around its block, for
// random and extreme pixels (0/255 planes, stripes), every block width the decoder uses (2 to 64), heights
// 1 to 64, every fractional position, and first predictions over the whole 16-bit range. Wasm only
// (tests/CMakeLists.txt).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

extern "C" void* ff_hevc_wasm_dsp_function(int simd, int table, int width_idx, int vertical, int horizontal);

namespace {

using PutI16 = void (*)(int16_t* dst, uint8_t* src, ptrdiff_t srcstride, int height, intptr_t mx, intptr_t my,
                        int width);
using PutUni = void (*)(uint8_t* dst, ptrdiff_t dststride, uint8_t* src, ptrdiff_t srcstride, int height,
                        intptr_t mx, intptr_t my, int width);
using PutBi = void (*)(uint8_t* dst, ptrdiff_t dststride, uint8_t* src, ptrdiff_t srcstride, int16_t* src2,
                       int height, intptr_t mx, intptr_t my, int width);
using PutUniW = void (*)(uint8_t* dst, ptrdiff_t dststride, uint8_t* src, ptrdiff_t srcstride, int height, int denom,
                         int wx, int ox, intptr_t mx, intptr_t my, int width);
using PutBiW = void (*)(uint8_t* dst, ptrdiff_t dststride, uint8_t* src, ptrdiff_t srcstride, int16_t* src2,
                        int height, int denom, int wx0, int wx1, int ox0, int ox1, intptr_t mx, intptr_t my, int width);

enum Table { kQpel = 0, kQpelUni, kQpelBi, kEpel, kEpelUni, kEpelBi, kQpelUniW, kQpelBiW, kEpelUniW, kEpelBiW };
const char* const kTableNames[] = {"put_hevc_qpel",      "put_hevc_qpel_uni",   "put_hevc_qpel_bi",
                                   "put_hevc_epel",      "put_hevc_epel_uni",   "put_hevc_epel_bi",
                                   "put_hevc_qpel_uni_w", "put_hevc_qpel_bi_w", "put_hevc_epel_uni_w",
                                   "put_hevc_epel_bi_w"};
bool IsQpel(int table) { return table < kEpel || table == kQpelUniW || table == kQpelBiW; }
// 0: the 16-bit intermediate, 1: uni, 2: bi, 3: weighted uni, 4: weighted bi.
int OutputOf(int table) { return table < kQpelUniW ? table % 3 : table == kQpelUniW || table == kEpelUniW ? 3 : 4; }

// Explicit weights as a slice header can give them (log2 denominator 0..7, weight (1 << denom) + [-128, 127],
// offset [-128, 127]; a third of them the identity); the extreme fills take the extremes.
struct Weights {
  int denom, wx0, wx1, ox0, ox1;
};
Weights RandomWeights(std::mt19937& rng, bool extreme) {
  std::uniform_int_distribution<int> denom(0, 7), delta(-128, 127), offset(-128, 127);
  Weights w{denom(rng), 0, 0, 0, 0};
  if (extreme) {
    const bool high = rng() & 1;
    w.denom = high ? 0 : 7;
    w.wx0 = (1 << w.denom) + (high ? 127 : -128);
    w.wx1 = (1 << w.denom) + (high ? 127 : -128);
    w.ox0 = w.ox1 = high ? 127 : -128;
  } else if (rng() % 3 == 0) {  // weights that change nothing (the kernels take a shortcut for them)
    w.wx0 = w.wx1 = 1 << w.denom;
  } else {
    w.wx0 = (1 << w.denom) + delta(rng);
    w.wx1 = (1 << w.denom) + delta(rng);
    w.ox0 = offset(rng);
    w.ox1 = offset(rng);
  }
  return w;
}

constexpr int kWidths[] = {2, 4, 6, 8, 12, 16, 24, 32, 48, 64};  // index = the tables' width index
constexpr int kMaxPb = 64;                                        // MAX_PB_SIZE: the 16-bit planes' stride
constexpr int kStride = 96;
constexpr int kRows = 88;
constexpr int kMargin = 8;  // room for the taps before and after the block (3 and 4 for qpel)

// kPeaks: 255 under the positive taps of the half-pel luma filter (-1, 4, -11, 40, 40, -11, 4, -1) and 0
// under the negative ones along both axes, inverted on the rows where the vertical taps are negative: the
// two-pass sums reach past 16 bits there (2,121,600 >> 6 = 33,150), where C's int16_t intermediate wraps.
enum class Fill { kRandom, kZero, kMax, kStripes, kPeaks };
constexpr Fill kFills[] = {Fill::kRandom, Fill::kZero, Fill::kMax, Fill::kStripes, Fill::kPeaks};

bool PositiveTap(int i) {
  const int m = ((i % 8) + 8) % 8;
  return m == 1 || m == 3 || m == 4 || m == 6;
}

std::vector<uint8_t> Plane(std::mt19937& rng, Fill fill) {
  std::vector<uint8_t> p(kStride * kRows);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int y = 0; y < kRows; ++y) {
    for (int x = 0; x < kStride; ++x) {
      int v = 0;
      switch (fill) {
        case Fill::kRandom: v = byte(rng); break;
        case Fill::kZero: v = 0; break;
        case Fill::kMax: v = 255; break;
        case Fill::kStripes: v = ((x + y) & 1) ? 255 : 0; break;
        case Fill::kPeaks: v = PositiveTap(x) == PositiveTap(y) ? 255 : 0; break;
      }
      p[y * kStride + x] = static_cast<uint8_t>(v);
    }
  }
  return p;
}

// A first prediction (14-bit in a real stream; here anywhere in int16, extremes included).
std::vector<int16_t> FirstPrediction(std::mt19937& rng, Fill fill) {
  std::vector<int16_t> p((kMaxPb + 1) * kMaxPb);
  std::uniform_int_distribution<int> any(-32768, 32767), real(-(1 << 13), (1 << 14) + (1 << 13));
  for (size_t i = 0; i < p.size(); ++i) {
    switch (fill) {
      case Fill::kRandom: p[i] = static_cast<int16_t>(rng() % 4 ? real(rng) : any(rng)); break;
      case Fill::kZero: p[i] = -32768; break;
      case Fill::kMax: p[i] = 32767; break;
      case Fill::kStripes: p[i] = static_cast<int16_t>((i & 1) ? 32767 : -32768); break;
      case Fill::kPeaks: p[i] = static_cast<int16_t>(PositiveTap(static_cast<int>(i)) ? 32767 : -32768); break;
    }
  }
  return p;
}

template <typename T>
::testing::AssertionResult SameBytes(const std::vector<T>& c, const std::vector<T>& simd, const std::string& what) {
  for (size_t i = 0; i < c.size(); ++i) {
    if (c[i] != simd[i]) {
      return ::testing::AssertionFailure() << what << ": element " << i << " is " << int(simd[i]) << ", C wrote "
                                           << int(c[i]);
    }
  }
  return ::testing::AssertionSuccess();
}

struct Case {
  int table, w_idx, vertical, horizontal, height, mx, my;
  Fill fill;
  std::string Name() const {
    return std::string(kTableNames[table]) + "[" + std::to_string(kWidths[w_idx]) + "][" + std::to_string(vertical) +
           "][" + std::to_string(horizontal) + "] height " + std::to_string(height) + " mx " + std::to_string(mx) +
           " my " + std::to_string(my) + " fill " + std::to_string(static_cast<int>(fill));
  }
};

// Runs one case through the C and the SIMD function on the same inputs; compares every output byte.
::testing::AssertionResult RunCase(const Case& k, std::mt19937& rng) {
  void* c_fn = ff_hevc_wasm_dsp_function(0, k.table, k.w_idx, k.vertical, k.horizontal);
  void* s_fn = ff_hevc_wasm_dsp_function(1, k.table, k.w_idx, k.vertical, k.horizontal);
  std::vector<uint8_t> src = Plane(rng, k.fill);
  uint8_t* block = src.data() + kMargin * kStride + kMargin;
  const int width = kWidths[k.w_idx];
  const int out = OutputOf(k.table);
  if (out == 0) {
    std::vector<int16_t> c_dst((kMaxPb + 1) * kMaxPb, 0x5a5a), s_dst = c_dst;
    reinterpret_cast<PutI16>(c_fn)(c_dst.data(), block, kStride, k.height, k.mx, k.my, width);
    reinterpret_cast<PutI16>(s_fn)(s_dst.data(), block, kStride, k.height, k.mx, k.my, width);
    return SameBytes(c_dst, s_dst, k.Name());
  }
  std::vector<uint8_t> c_dst(kStride * kRows, 0xa5), s_dst = c_dst;
  uint8_t* c_block = c_dst.data() + kMargin * kStride + kMargin;
  uint8_t* s_block = s_dst.data() + kMargin * kStride + kMargin;
  const Weights w = RandomWeights(rng, k.fill != Fill::kRandom);
  if (out == 1) {
    reinterpret_cast<PutUni>(c_fn)(c_block, kStride, block, kStride, k.height, k.mx, k.my, width);
    reinterpret_cast<PutUni>(s_fn)(s_block, kStride, block, kStride, k.height, k.mx, k.my, width);
  } else if (out == 3) {
    reinterpret_cast<PutUniW>(c_fn)(c_block, kStride, block, kStride, k.height, w.denom, w.wx0, w.ox0, k.mx, k.my, width);
    reinterpret_cast<PutUniW>(s_fn)(s_block, kStride, block, kStride, k.height, w.denom, w.wx0, w.ox0, k.mx, k.my, width);
  } else if (out == 4) {
    std::vector<int16_t> src2 = FirstPrediction(rng, k.fill);
    reinterpret_cast<PutBiW>(c_fn)(c_block, kStride, block, kStride, src2.data(), k.height, w.denom, w.wx0, w.wx1, w.ox0,
                                   w.ox1, k.mx, k.my, width);
    reinterpret_cast<PutBiW>(s_fn)(s_block, kStride, block, kStride, src2.data(), k.height, w.denom, w.wx0, w.wx1, w.ox0,
                                   w.ox1, k.mx, k.my, width);
  } else {
    std::vector<int16_t> src2 = FirstPrediction(rng, k.fill);
    reinterpret_cast<PutBi>(c_fn)(c_block, kStride, block, kStride, src2.data(), k.height, k.mx, k.my, width);
    reinterpret_cast<PutBi>(s_fn)(s_block, kStride, block, kStride, src2.data(), k.height, k.mx, k.my, width);
  }
  return SameBytes(c_dst, s_dst, k.Name() + " weights " + std::to_string(w.denom) + "/" + std::to_string(w.wx0) + "/" +
                                     std::to_string(w.wx1) + "/" + std::to_string(w.ox0) + "/" + std::to_string(w.ox1));
}

TEST(FfmpegHevcSimd, TheKernelsAreInTheTables) {
  // Every entry is replaced in the -msimd128 build (the uni-predicted whole-pel copy too: memcpy is a byte
  // and word loop in wasm); the C table of the same build stays C.
  for (int table = kQpel; table <= kEpelBiW; ++table) {
    for (int v = 0; v < 2; ++v) {
      for (int h = 0; h < 2; ++h) {
        void* c_fn = ff_hevc_wasm_dsp_function(0, table, 3, v, h);
        void* s_fn = ff_hevc_wasm_dsp_function(1, table, 3, v, h);
        ASSERT_NE(c_fn, nullptr);
        EXPECT_NE(c_fn, s_fn) << kTableNames[table] << "[" << v << "][" << h << "] is still the C function";
      }
    }
  }
}

TEST(FfmpegHevcSimd, EveryKernelWritesWhatTheCOneWrites) {
  std::mt19937 rng(20261207);
  const int heights[] = {1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64};
  int cases = 0;
  for (int table = kQpel; table <= kEpelBiW; ++table) {
    const bool qpel = IsQpel(table);
    const int max_frac = qpel ? 3 : 7;
    for (int w_idx = 0; w_idx < 10; ++w_idx) {
      for (int v = 0; v < 2; ++v) {
        for (int h = 0; h < 2; ++h) {
          for (int height : heights) {
            for (Fill fill : kFills) {
              // Every fractional position with random pixels; the half-pel one (the largest sums) with
              // the extreme planes.
              const int rounds = fill == Fill::kRandom ? max_frac : 1;
              const int middle = qpel ? 2 : 4;
              for (int r = 1; r <= rounds; ++r) {
                const int mx = fill == Fill::kRandom ? r : middle;
                const int my = fill == Fill::kRandom ? (r * 5) % max_frac + 1 : middle;
                Case k{table, w_idx, v, h, height, h ? mx : 0, v ? my : 0, fill};
                ASSERT_TRUE(RunCase(k, rng));
                ++cases;
              }
            }
          }
        }
      }
    }
  }
  EXPECT_GT(cases, 15000);
}

using SaoBand = void (*)(uint8_t* dst, uint8_t* src, ptrdiff_t stride_dst, ptrdiff_t stride_src, int16_t* offset_val,
                         int left_class, int width, int height);
using SaoEdge = void (*)(uint8_t* dst, uint8_t* src, ptrdiff_t stride_dst, int16_t* offset_val, int eo, int width,
                         int height);
constexpr int kSaoBand = 10, kSaoEdge = 11;
constexpr int kSaoSrcStride = 2 * kMaxPb + 64;  // the edge filter's fixed source stride (AV_INPUT_BUFFER_PADDING_SIZE)

// Offsets as 8-bit streams code them ([-7, 7]), the byte limits, and past them (the kernels hand those
// to the C function).
std::vector<int16_t> SaoOffsets(std::mt19937& rng, int kind) {
  std::vector<int16_t> v(5);
  std::uniform_int_distribution<int> coded(-7, 7), bytes(-128, 127), wide(-600, 600);
  for (auto& o : v) o = static_cast<int16_t>(kind == 0 ? coded(rng) : kind == 1 ? bytes(rng) : wide(rng));
  if (kind == 1) v[1] = 127, v[2] = -128;
  if (kind == 2) v[3] = 300;
  return v;
}

TEST(FfmpegHevcSimd, SampleAdaptiveOffsetWritesWhatTheCFunctionWrites) {
  SaoBand c_band = reinterpret_cast<SaoBand>(ff_hevc_wasm_dsp_function(0, kSaoBand, 0, 0, 0));
  SaoBand s_band = reinterpret_cast<SaoBand>(ff_hevc_wasm_dsp_function(1, kSaoBand, 0, 0, 0));
  SaoEdge c_edge = reinterpret_cast<SaoEdge>(ff_hevc_wasm_dsp_function(0, kSaoEdge, 0, 0, 0));
  SaoEdge s_edge = reinterpret_cast<SaoEdge>(ff_hevc_wasm_dsp_function(1, kSaoEdge, 0, 0, 0));
  ASSERT_NE(c_band, s_band);
  ASSERT_NE(c_edge, s_edge);
  std::mt19937 rng(7);
  const int widths[] = {1, 7, 8, 15, 16, 17, 24, 31, 32, 33, 48, 63, 64};
  const int heights[] = {1, 4, 8, 16, 32, 64};
  int cases = 0;
  for (int width : widths) {
    for (int height : heights) {
      for (Fill fill : kFills) {
        for (int kind = 0; kind < 3; ++kind) {
          std::vector<int16_t> offsets = SaoOffsets(rng, kind);
          // Band: any source stride; every band position.
          {
            std::vector<uint8_t> src = Plane(rng, fill);
            std::vector<uint8_t> c_dst(kStride * kRows, 0xa5), s_dst = c_dst;
            const int left_class = static_cast<int>(rng() % 32);
            uint8_t* in = src.data() + kMargin * kStride + kMargin;
            c_band(c_dst.data() + kMargin * kStride + kMargin, in, kStride, kStride, offsets.data(), left_class, width,
                   height);
            s_band(s_dst.data() + kMargin * kStride + kMargin, in, kStride, kStride, offsets.data(), left_class, width,
                   height);
            ASSERT_TRUE(SameBytes(c_dst, s_dst, "sao_band_filter width " + std::to_string(width) + " height " +
                                                    std::to_string(height) + " class " + std::to_string(left_class) +
                                                    " offsets kind " + std::to_string(kind)));
            ++cases;
          }
          // Edge: the decoder's fixed source stride, a row and a column of neighbours around the block.
          for (int eo = 0; eo < 4; ++eo) {
            std::vector<uint8_t> src((kMaxPb + 2) * kSaoSrcStride);
            std::uniform_int_distribution<int> byte(0, 255);
            for (size_t i = 0; i < src.size(); ++i) {
              const int x = static_cast<int>(i % kSaoSrcStride), y = static_cast<int>(i / kSaoSrcStride);
              src[i] = static_cast<uint8_t>(fill == Fill::kRandom  ? byte(rng) % 4 + 100 * (rng() % 2)  // many ties
                                            : fill == Fill::kZero  ? 0
                                            : fill == Fill::kMax   ? 255
                                            : fill == Fill::kPeaks ? (PositiveTap(x) == PositiveTap(y) ? 255 : 0)
                                                                   : ((x + y) & 1) * 255);
            }
            std::vector<uint8_t> c_dst(kStride * kRows, 0xa5), s_dst = c_dst;
            uint8_t* in = src.data() + kSaoSrcStride + 1;
            c_edge(c_dst.data() + kMargin * kStride + kMargin, in, kStride, offsets.data(), eo, width, height);
            s_edge(s_dst.data() + kMargin * kStride + kMargin, in, kStride, offsets.data(), eo, width, height);
            ASSERT_TRUE(SameBytes(c_dst, s_dst, "sao_edge_filter eo " + std::to_string(eo) + " width " +
                                                    std::to_string(width) + " height " + std::to_string(height) +
                                                    " offsets kind " + std::to_string(kind)));
            ++cases;
          }
        }
      }
    }
  }
  EXPECT_GT(cases, 5000);
}

using Idct = void (*)(int16_t* coeffs, int col_limit);
constexpr int kIdct = 12;  // + log2(size) - 2

// The inverse transforms: random, sparse (the usual residual: a few low-frequency coefficients) and
// extreme coefficient blocks, every column limit the decoder can pass and past it. The C function ignores
// the coefficients beyond the limit; so must the kernel, whatever they hold.
TEST(FfmpegHevcSimd, InverseTransformsWriteWhatTheCFunctionsWrite) {
  std::mt19937 rng(32);
  int cases = 0;
  for (int log2 = 3; log2 <= 5; ++log2) {
    const int h = 1 << log2;
    Idct c_fn = reinterpret_cast<Idct>(ff_hevc_wasm_dsp_function(0, kIdct + log2 - 2, 0, 0, 0));
    Idct s_fn = reinterpret_cast<Idct>(ff_hevc_wasm_dsp_function(1, kIdct + log2 - 2, 0, 0, 0));
    ASSERT_NE(c_fn, s_fn) << h << "x" << h;
    for (int col_limit = 0; col_limit <= 2 * h + 4; ++col_limit) {
      for (int kind = 0; kind < 6; ++kind) {
        std::vector<int16_t> block(h * h + 16, 0);
        std::uniform_int_distribution<int> any(-32768, 32767), small(-300, 300);
        for (int y = 0; y < h; ++y) {
          for (int x = 0; x < h; ++x) {
            int16_t& v = block[y * h + x];
            switch (kind) {
              case 0: v = static_cast<int16_t>(any(rng)); break;
              case 1: v = static_cast<int16_t>(small(rng)); break;
              case 2: v = static_cast<int16_t>(x + y < col_limit && rng() % 3 == 0 ? small(rng) : 0); break;
              case 3: v = static_cast<int16_t>(x + y < 4 ? any(rng) : 0); break;
              case 4: v = static_cast<int16_t>(((x ^ y) & 1) ? 32767 : -32768); break;
              case 5: v = static_cast<int16_t>(x == 0 && y == 0 ? any(rng) : 0); break;
            }
          }
        }
        for (int i = h * h; i < h * h + 16; ++i) block[i] = 0x5a5a;  // written past the block: caught
        std::vector<int16_t> c_out = block, s_out = block;
        c_fn(c_out.data(), col_limit);
        s_fn(s_out.data(), col_limit);
        ASSERT_TRUE(SameBytes(c_out, s_out, "idct_" + std::to_string(h) + "x" + std::to_string(h) + " col_limit " +
                                                std::to_string(col_limit) + " kind " + std::to_string(kind)));
        ++cases;
      }
    }
  }
  EXPECT_GT(cases, 400);
}

using LoopFilterLuma = void (*)(uint8_t* pix, ptrdiff_t stride, int beta, int32_t* tc, uint8_t* no_p, uint8_t* no_q);
constexpr int kLoopFilterH = 16, kLoopFilterV = 17;

// The luma deblocking filter across a horizontal and a vertical edge (8 lines, two segments): planes that
// leave the edge alone (noise), that take the normal filter and the strong one (smooth sides with a step
// between them), every beta and tc a slice can give and past them, either side excluded (PCM / lossless).
// The C output itself says which filter ran; the test checks each ran often.
TEST(FfmpegHevcSimd, LumaDeblockingWritesWhatTheCFunctionWrites) {
  std::mt19937 rng(16);
  int strong = 0, normal = 0, untouched = 0;
  for (int vertical = 0; vertical < 2; ++vertical) {
    auto c_fn = reinterpret_cast<LoopFilterLuma>(ff_hevc_wasm_dsp_function(0, kLoopFilterH + vertical, 0, 0, 0));
    auto s_fn = reinterpret_cast<LoopFilterLuma>(ff_hevc_wasm_dsp_function(1, kLoopFilterH + vertical, 0, 0, 0));
    ASSERT_NE(c_fn, s_fn);
    for (int round = 0; round < 6000; ++round) {
      const int kind = round % 4;
      std::uniform_int_distribution<int> byte(0, 255), noise(-2, 2), step(0, 24);
      const int a = byte(rng), b = std::clamp(a + (rng() % 2 ? 1 : -1) * step(rng), 0, 255);
      std::vector<uint8_t> plane(kStride * kRows);
      for (int y = 0; y < kRows; ++y) {
        for (int x = 0; x < kStride; ++x) {
          const bool q_side = vertical ? x >= 16 : y >= 16;
          int v = 0;
          switch (kind) {
            case 0: v = byte(rng); break;                                          // noise: mostly untouched
            case 1: v = (q_side ? b : a) + noise(rng); break;                      // smooth sides, a step
            case 2: v = q_side ? b : a; break;                                     // flat sides: strong
            case 3: v = (q_side ? b : a) + (vertical ? y : x) % 3 + noise(rng); break;  // gentle ramps
          }
          plane[y * kStride + x] = static_cast<uint8_t>(std::clamp(v, 0, 255));
        }
      }
      int32_t tc[2] = {static_cast<int32_t>(rng() % 31), static_cast<int32_t>(rng() % 31)};
      uint8_t no_p[2] = {static_cast<uint8_t>(rng() % 5 == 0), static_cast<uint8_t>(rng() % 5 == 0)};
      uint8_t no_q[2] = {static_cast<uint8_t>(rng() % 5 == 0), static_cast<uint8_t>(rng() % 5 == 0)};
      const int beta = static_cast<int>(rng() % 80);
      std::vector<uint8_t> c_out = plane, s_out = plane;
      c_fn(c_out.data() + 16 * kStride + 16, kStride, beta, tc, no_p, no_q);
      s_fn(s_out.data() + 16 * kStride + 16, kStride, beta, tc, no_p, no_q);
      ASSERT_TRUE(SameBytes(c_out, s_out, std::string(vertical ? "v" : "h") + "_loop_filter_luma kind " +
                                              std::to_string(kind) + " beta " + std::to_string(beta) + " tc " +
                                              std::to_string(tc[0]) + "/" + std::to_string(tc[1]) + " no_p " +
                                              std::to_string(no_p[0]) + std::to_string(no_p[1]) + " no_q " +
                                              std::to_string(no_q[0]) + std::to_string(no_q[1])));
      // Which filter the C code ran, from the pixels it changed: the strong one may change the third pixel
      // from the edge, the normal one never does.
      bool third = false, first = false;
      for (int line = 0; line < 8; ++line) {
        for (int side = 0; side < 2; ++side) {
          const int off3 = side ? 2 : -3, off1 = side ? 0 : -1;
          const int at3 = vertical ? (16 + line) * kStride + 16 + off3 : (16 + off3) * kStride + 16 + line;
          const int at1 = vertical ? (16 + line) * kStride + 16 + off1 : (16 + off1) * kStride + 16 + line;
          third |= c_out[at3] != plane[at3];
          first |= c_out[at1] != plane[at1];
        }
      }
      strong += third;
      normal += first && !third;
      untouched += !first;
    }
  }
  EXPECT_GT(strong, 200);
  EXPECT_GT(normal, 200);
  EXPECT_GT(untouched, 200);
  std::printf("luma deblocking cases: strong %d, normal %d, untouched %d\n", strong, normal, untouched);
}

}  // namespace
