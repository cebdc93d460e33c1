// embind: the FLV demuxer (wasm/core/flv/flv_demuxer.h) for JavaScript.
//
//   const demux = new Module.FlvDemuxer();          // or new Module.FlvDemuxer({...defaults, expectHeader: false})
//   demux.feed(uint8array);                          // any split of the stream
//   for (const ev of demux.drain()) ...              // {kind: 'video', timestamp, size, key, codec, ...}
//   demux.finish(); demux.drain(); demux.delete();   // embind objects are freed by hand
//
//   Module.demuxFlvCount(uint8array, chunkSize)      // whole buffer, no per-tag JS crossing:
//     -> {tags, audioTags, videoTags, scriptTags, tagBytes, bytes, warnings, errors}
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>

#include "bindings/js_bytes.h"
#include "flv/flv_demuxer.h"

namespace lw::bindings {
namespace {

using emscripten::val;

struct FlvDemuxerOptions {
  uint32_t max_tag_size;
  uint32_t max_timestamp_jump_ms;
  uint32_t max_composition_time_ms;
  bool expect_header;
};

FlvDemuxerOptions default_flv_demuxer_options() {
  const flv::Demuxer::Options d;
  return {d.max_tag_size, d.max_timestamp_jump_ms, d.max_composition_time_ms, d.expect_header};
}

flv::Demuxer::Options to_core(const FlvDemuxerOptions& o) {
  flv::Demuxer::Options d;
  d.max_tag_size = o.max_tag_size;
  d.max_timestamp_jump_ms = o.max_timestamp_jump_ms;
  d.max_composition_time_ms = o.max_composition_time_ms;
  d.expect_header = o.expect_header;
  return d;
}

// One event as a plain JS object; only the fields that mean something for its kind.
val to_js(const flv::Event& ev) {
  val o = val::object();
  o.set("kind", std::string(flv::event_kind_name(ev.kind)));
  o.set("offset", static_cast<double>(ev.offset));
  switch (ev.kind) {
    case flv::EventKind::kHeader:
      o.set("hasAudio", ev.header.has_audio);
      o.set("hasVideo", ev.header.has_video);
      o.set("version", ev.header.version);
      break;
    case flv::EventKind::kScript:
      o.set("timestamp", ev.tag.timestamp_ms);
      o.set("size", static_cast<uint32_t>(ev.tag.body.size()));
      o.set("name", ev.script.name);
      break;
    case flv::EventKind::kVideo:
      o.set("timestamp", ev.tag.timestamp_ms);
      o.set("size", static_cast<uint32_t>(ev.tag.body.size()));
      o.set("codec", std::string(flv::video_codec_name(ev.video.codec)));
      o.set("key", ev.video.key_frame());
      o.set("packetType", std::string(flv::video_packet_type_name(ev.video.packet_type)));
      o.set("cts", ev.video.composition_time_ms);
      o.set("enhanced", ev.video.enhanced);
      o.set("discontinuity", ev.timestamp_discontinuity);
      break;
    case flv::EventKind::kAudio:
      o.set("timestamp", ev.tag.timestamp_ms);
      o.set("size", static_cast<uint32_t>(ev.tag.body.size()));
      o.set("codec", std::string(flv::audio_codec_name(ev.audio.codec)));
      o.set("key", true);
      o.set("packetType", std::string(flv::audio_packet_type_name(ev.audio.packet_type)));
      o.set("enhanced", ev.audio.enhanced);
      o.set("discontinuity", ev.timestamp_discontinuity);
      break;
    case flv::EventKind::kWarning:
    case flv::EventKind::kError:
      o.set("code", std::string(error_code_name(ev.status.code())));
      o.set("reason", ev.status.reason());
      o.set("skipped", static_cast<double>(ev.skipped_bytes));
      break;
  }
  return o;
}

class FlvDemuxerJs {
 public:
  FlvDemuxerJs() = default;
  explicit FlvDemuxerJs(const FlvDemuxerOptions& o) : demux_(to_core(o)) {}

  // Copies the bytes into wasm memory and feeds them; returns the bytes consumed (all of them).
  // The events view scratch_ (flv_demuxer.h), which the next feed() reuses: call drain() between
  // feeds (it turns every event into plain JS values); if not, detach() parses the rest first.
  uint32_t feed(const val& bytes) {
    demux_.detach();  // not drained: parse the rest of scratch_ (into owned copies) before reusing it
    copy_from_js(bytes, &scratch_);
    return static_cast<uint32_t>(demux_.feed(as_span(scratch_)));
  }
  void finish() { demux_.finish(); }
  // Every queued event, oldest first.
  val drain() {
    val out = val::array();
    flv::Event ev;
    for (int i = 0; demux_.next(&ev); ++i) out.set(i, to_js(ev));
    return out;
  }
  double bytes_fed() const { return static_cast<double>(demux_.bytes_fed()); }
  double buffered() const { return static_cast<double>(demux_.buffered()); }
  void reset() { demux_.reset(); }

 private:
  flv::Demuxer demux_;
  Bytes scratch_;
};

struct FlvCount {
  uint32_t tags = 0;
  uint32_t audio_tags = 0;
  uint32_t video_tags = 0;
  uint32_t script_tags = 0;
  double tag_bytes = 0;  // sum of the tags' DataSize
  double bytes = 0;      // bytes fed
  uint32_t warnings = 0;
  uint32_t errors = 0;
};

// Demuxes a whole buffer inside wasm, feeding it in `chunk_size` pieces (0: one piece) and counting
// events, so that a benchmark measures the demuxer and not the JS boundary.
FlvCount demux_flv_count(const val& bytes, uint32_t chunk_size) {
  Bytes data;
  copy_from_js(bytes, &data);
  flv::Demuxer demux;
  FlvCount count;
  flv::Event ev;
  auto drain = [&] {
    while (demux.next(&ev)) {
      switch (ev.kind) {
        case flv::EventKind::kAudio: count.audio_tags++; break;
        case flv::EventKind::kVideo: count.video_tags++; break;
        case flv::EventKind::kScript: count.script_tags++; break;
        case flv::EventKind::kWarning: count.warnings++; continue;
        case flv::EventKind::kError: count.errors++; continue;
        case flv::EventKind::kHeader: continue;
      }
      count.tags++;
      count.tag_bytes += static_cast<double>(ev.tag.body.size());
    }
  };
  const ByteSpan all = as_span(data);
  const size_t step = chunk_size ? chunk_size : std::max<size_t>(all.size(), 1);
  for (size_t pos = 0; pos < all.size(); pos += step) {
    demux.feed(all.subspan(pos, std::min(step, all.size() - pos)));
    drain();
  }
  demux.finish();
  drain();
  count.bytes = static_cast<double>(demux.bytes_fed());
  return count;
}

}  // namespace
}  // namespace lw::bindings

EMSCRIPTEN_BINDINGS(livewasm_flv) {
  using namespace emscripten;
  using namespace lw::bindings;
  value_object<FlvDemuxerOptions>("FlvDemuxerOptions")
      .field("maxTagSize", &FlvDemuxerOptions::max_tag_size)
      .field("maxTimestampJumpMs", &FlvDemuxerOptions::max_timestamp_jump_ms)
      .field("maxCompositionTimeMs", &FlvDemuxerOptions::max_composition_time_ms)
      .field("expectHeader", &FlvDemuxerOptions::expect_header);
  function("defaultFlvDemuxerOptions", &default_flv_demuxer_options);

  class_<FlvDemuxerJs>("FlvDemuxer")
      .constructor<>()
      .constructor<const FlvDemuxerOptions&>()
      .function("feed", &FlvDemuxerJs::feed)
      .function("finish", &FlvDemuxerJs::finish)
      .function("drain", &FlvDemuxerJs::drain)
      .function("bytesFed", &FlvDemuxerJs::bytes_fed)
      .function("buffered", &FlvDemuxerJs::buffered)
      .function("reset", &FlvDemuxerJs::reset);

  value_object<FlvCount>("FlvCount")
      .field("tags", &FlvCount::tags)
      .field("audioTags", &FlvCount::audio_tags)
      .field("videoTags", &FlvCount::video_tags)
      .field("scriptTags", &FlvCount::script_tags)
      .field("tagBytes", &FlvCount::tag_bytes)
      .field("bytes", &FlvCount::bytes)
      .field("warnings", &FlvCount::warnings)
      .field("errors", &FlvCount::errors);
  function("demuxFlvCount", &demux_flv_count);
}
