// FLV demux speed (MB/s of input) over a real FLV made by bench/run.sh with Debian's ffmpeg
// (640x360 H.264 + AAC, 30 s, $LW_BENCH_FLV). Each iteration demuxes the whole file with a fresh
// flv::Demuxer and drains every event, as the player worker does; the tag count is checked against a
// first pass so that a demuxer that stops early cannot look fast.
//
//   BM_FlvDemuxWholeFile        one feed() of the whole file (what the wasm whole-buffer call does)
//   BM_FlvDemuxChunked/N        feed() in N-byte pieces, draining after each, as bytes arrive from a
//                               socket: measures the cost of buffering tags split across reads
#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>

#include "bench_input.h"
#include "flv/flv_demuxer.h"

namespace {

struct Drained {
  uint64_t tags = 0;      // script + audio + video events
  uint64_t problems = 0;  // warnings + errors
  uint64_t payload_bytes = 0;
};

void drain(lw::flv::Demuxer& demux, Drained& d) {
  lw::flv::Event ev;
  while (demux.next(&ev)) {
    switch (ev.kind) {
      case lw::flv::EventKind::kScript:
      case lw::flv::EventKind::kAudio:
      case lw::flv::EventKind::kVideo:
        d.tags++;
        d.payload_bytes += ev.tag.body.size();
        break;
      case lw::flv::EventKind::kWarning:
      case lw::flv::EventKind::kError:
        d.problems++;
        break;
      case lw::flv::EventKind::kHeader:
        break;
    }
  }
}

Drained demux_file(lw::ByteSpan file, size_t chunk) {
  lw::flv::Demuxer demux;
  Drained d;
  for (size_t at = 0; at < file.size(); at += chunk) {
    demux.feed(file.subspan(at, std::min(chunk, file.size() - at)));
    drain(demux, d);
  }
  demux.finish();
  drain(demux, d);
  return d;
}

void run(benchmark::State& state, size_t chunk) {
  std::string why;
  const lw::Bytes* file = lw::bench::flv_input(&why);
  if (file == nullptr) {
    state.SkipWithError(why.c_str());
    return;
  }
  const lw::ByteSpan bytes = lw::as_span(*file);
  const Drained expected = demux_file(bytes, bytes.size());
  if (expected.problems != 0 || expected.tags == 0) {
    state.SkipWithError("the input FLV does not demux cleanly in one feed");
    return;
  }
  for (auto _ : state) {
    const Drained got = demux_file(bytes, chunk);
    if (got.tags != expected.tags || got.problems != 0) {
      state.SkipWithError("tag count differs from the whole-file pass");
      break;
    }
    benchmark::DoNotOptimize(got.payload_bytes);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * expected.tags));
  state.counters["tags"] = static_cast<double>(expected.tags);
  state.counters["file_bytes"] = static_cast<double>(bytes.size());
}

void BM_FlvDemuxWholeFile(benchmark::State& state) { run(state, SIZE_MAX); }
BENCHMARK(BM_FlvDemuxWholeFile)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FlvDemuxChunked(benchmark::State& state) { run(state, static_cast<size_t>(state.range(0))); }
BENCHMARK(BM_FlvDemuxChunked)
    ->Arg(1400)
    ->Arg(64 << 10)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
