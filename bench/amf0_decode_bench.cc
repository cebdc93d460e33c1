// AMF0 decode speed on real wire bytes (amf0_wire_samples.h): an FLV onMetaData script tag body and
// the two RTMP connect commands ffmpeg sends. One item = one whole message body decoded with
// amf0::decode_all into values (strings copied, containers allocated), as the FLV demuxer and the RTMP
// session do for each script tag or command.
//
// BM_Amf0DecodeToString* add amf0::to_string of every value: the same C++ work as the wasm module's
// amf0ToString call, so that bench/wasm/amf0_decode.bench.mjs can put wasm beside native.
#include <benchmark/benchmark.h>

#include <span>
#include <string>

#include "amf/amf0.h"
#include "amf0_wire_samples.h"

namespace {

void decode_message(benchmark::State& state, std::span<const uint8_t> body, size_t expected_values) {
  const lw::ByteSpan bytes(body.data(), body.size());
  for (auto _ : state) {
    auto values = lw::amf0::decode_all(bytes);
    if (!values.ok() || values->size() != expected_values) {
      state.SkipWithError(values.ok() ? "unexpected value count" : values.status().to_string().c_str());
      break;
    }
    benchmark::DoNotOptimize(values->data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}

// "onMetaData" + ECMA array of 13 properties, 293 bytes.
void BM_Amf0DecodeOnMetaData(benchmark::State& state) {
  decode_message(state, lw::bench::kOnMetaData, 2);
}
BENCHMARK(BM_Amf0DecodeOnMetaData)->UseRealTime();

// "connect", 1, {app, type, flashVer, tcUrl}: 140 bytes.
void BM_Amf0DecodeConnectPublish(benchmark::State& state) {
  decode_message(state, lw::bench::kConnectPublish, 3);
}
BENCHMARK(BM_Amf0DecodeConnectPublish)->UseRealTime();

// "connect", 1, {app, flashVer, tcUrl, fpad, capabilities, audioCodecs, videoCodecs,
// videoFunction}: 197 bytes.
void BM_Amf0DecodeConnectPlay(benchmark::State& state) {
  decode_message(state, lw::bench::kConnectPlay, 3);
}
BENCHMARK(BM_Amf0DecodeConnectPlay)->UseRealTime();

void decode_to_string(benchmark::State& state, std::span<const uint8_t> body) {
  const lw::ByteSpan bytes(body.data(), body.size());
  for (auto _ : state) {
    auto values = lw::amf0::decode_all(bytes);
    if (!values.ok()) {
      state.SkipWithError(values.status().to_string().c_str());
      break;
    }
    std::string text;
    for (const lw::amf0::Value& v : *values) text += lw::amf0::to_string(v);
    benchmark::DoNotOptimize(text.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}

void BM_Amf0DecodeToStringOnMetaData(benchmark::State& state) {
  decode_to_string(state, lw::bench::kOnMetaData);
}
BENCHMARK(BM_Amf0DecodeToStringOnMetaData)->UseRealTime();

void BM_Amf0DecodeToStringConnectPublish(benchmark::State& state) {
  decode_to_string(state, lw::bench::kConnectPublish);
}
BENCHMARK(BM_Amf0DecodeToStringConnectPublish)->UseRealTime();

void BM_Amf0DecodeToStringConnectPlay(benchmark::State& state) {
  decode_to_string(state, lw::bench::kConnectPlay);
}
BENCHMARK(BM_Amf0DecodeToStringConnectPlay)->UseRealTime();

}  // namespace
