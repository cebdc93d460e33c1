// FLV mux speed (tags/s and MB/s of output). The tags are those of the real FLV made by bench/run.sh
// ($LW_BENCH_FLV), demuxed once before timing; each iteration writes the header and every tag into
// one reused buffer, as the pusher worker does before handing bytes to its socket.
//
//   BM_FlvMuxMediaTags    write_video/write_audio from parsed headers + payload (the encoder path:
//                         the muxer writes the (Ex)Video/AudioTagHeader itself)
//   BM_FlvMuxRawTags      write_tag with ready bodies (the relay path: RTMP message -> FLV tag)
// The output of the first iteration must equal the input file byte for byte after the header, so
// the figure is for a muxer that wrote everything.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bench_input.h"
#include "flv/flv_demuxer.h"
#include "flv/flv_muxer.h"

namespace {

struct Input {
  lw::flv::FileHeader header;
  std::vector<lw::flv::Event> tags;  // kScript, kAudio, kVideo in file order
};

bool load(Input* in, std::string* why) {
  const lw::Bytes* file = lw::bench::flv_input(why);
  if (file == nullptr) return false;
  lw::flv::Demuxer demux;
  demux.feed(lw::as_span(*file));
  demux.finish();
  lw::flv::Event ev;
  while (demux.next(&ev)) {
    if (ev.kind == lw::flv::EventKind::kHeader) {
      in->header = ev.header;
    } else if (ev.kind == lw::flv::EventKind::kWarning || ev.kind == lw::flv::EventKind::kError) {
      *why = "the input FLV does not demux cleanly: " + ev.status.to_string();
      return false;
    } else {
      in->tags.push_back(std::move(ev));
    }
  }
  return !in->tags.empty();
}

const Input* input(std::string* why) {
  static Input in;
  static std::string error;
  static const bool ok = load(&in, &error);
  if (!ok) *why = error.empty() ? "no tags in the input FLV" : error;
  return ok ? &in : nullptr;
}

lw::Status mux_media(const Input& in, lw::flv::Muxer& mux, lw::Bytes& out) {
  mux.write_header(in.header.has_audio, in.header.has_video, out);
  for (const lw::flv::Event& ev : in.tags) {
    switch (ev.kind) {
      case lw::flv::EventKind::kVideo:
        LW_RETURN_IF_ERROR(mux.write_video(ev.video, ev.tag.timestamp_ms, ev.payload(), out));
        break;
      case lw::flv::EventKind::kAudio:
        LW_RETURN_IF_ERROR(mux.write_audio(ev.audio, ev.tag.timestamp_ms, ev.payload(), out));
        break;
      default:
        LW_RETURN_IF_ERROR(mux.write_script(ev.tag.timestamp_ms, ev.script, out));
        break;
    }
  }
  return lw::Status::Ok();
}

lw::Status mux_raw(const Input& in, lw::flv::Muxer& mux, lw::Bytes& out) {
  mux.write_header(in.header.has_audio, in.header.has_video, out);
  for (const lw::flv::Event& ev : in.tags) LW_RETURN_IF_ERROR(mux.write_tag(ev.tag, out));
  return lw::Status::Ok();
}

template <lw::Status (*Mux)(const Input&, lw::flv::Muxer&, lw::Bytes&)>
void run(benchmark::State& state) {
  std::string why;
  const Input* in = input(&why);
  if (in == nullptr) {
    state.SkipWithError(why.c_str());
    return;
  }
  // Check once that the muxer reproduces the file's tags (ffmpeg's header flags may differ, so
  // compare from the first tag on).
  lw::Bytes out;
  {
    lw::flv::Muxer mux;
    lw::Status st = Mux(*in, mux, out);
    const lw::Bytes& file = *lw::bench::flv_input(nullptr);
    const size_t skip = lw::flv::kFileHeaderSize + lw::flv::kPreviousTagSizeSize;
    if (!st.ok() || out.size() != file.size() ||
        !std::equal(out.begin() + skip, out.end(), file.begin() + skip)) {
      state.SkipWithError(st.ok() ? "muxed bytes differ from the input file" : st.to_string().c_str());
      return;
    }
  }
  const size_t bytes_per_pass = out.size();
  for (auto _ : state) {
    out.clear();  // reused buffer: capacity stays, as a worker's send buffer does
    lw::flv::Muxer mux;
    lw::Status st = Mux(*in, mux, out);
    if (!st.ok()) {
      state.SkipWithError(st.to_string().c_str());
      break;
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes_per_pass));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * in->tags.size()));
  state.counters["tags"] = static_cast<double>(in->tags.size());
}

void BM_FlvMuxMediaTags(benchmark::State& state) { run<mux_media>(state); }
BENCHMARK(BM_FlvMuxMediaTags)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FlvMuxRawTags(benchmark::State& state) { run<mux_raw>(state); }
BENCHMARK(BM_FlvMuxRawTags)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
