// Fuzz target for the FLV demuxer. The first byte says how many of the following bytes are chunk
// sizes (0-7); those bytes (each 1-256) are cycled to split the rest, the FLV stream, into feeds. Its
// bit 3 switches on Options::split_tracks (one event per track of an Enhanced RTMP Multitrack tag).
// Checks:
// - the events for the split input equal the events for one feed (determinism across splits);
// - every media header the demuxer parsed writes back to the same header bytes, and parses again
//   to the same header (parse/write agree);
// - nothing buffered exceeds the limits.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/byte_writer.h"
#include "flv/flv_demuxer.h"
#include "flv/flv_tag_header.h"

namespace {

using namespace lw;
using namespace lw::flv;

void fail(const char* what) {
  std::fprintf(stderr, "flv_demuxer_fuzz: %s\n", what);
  std::abort();
}

// A compact fingerprint of one event: everything a consumer sees.
std::string fingerprint(const Event& ev) {
  std::string s = std::to_string(int(ev.kind)) + ":" + std::to_string(ev.offset) + ":" +
                  std::to_string(ev.skipped_bytes) + ":" + ev.status.to_string() + ":" +
                  std::to_string(ev.tag.timestamp_ms) + ":" + std::to_string(ev.timestamp_discontinuity) + ":" +
                  std::to_string(ev.track_index) + ":" + std::to_string(ev.payload().size()) + ":";
  s.append(ev.tag.body.begin(), ev.tag.body.end());
  return s;
}

struct Limits {
  bool split_tracks = false;
  Demuxer::Options options() const {
    Demuxer::Options o;
    o.split_tracks = split_tracks;
    o.max_tag_size = 1 << 16;  // small limits reach the limit paths with small inputs
    o.resync_window = 1 << 17;
    o.max_header_extra = 64;
    return o;
  }
};

// `lazy_drain`: drains only after every other feed, so the demuxer's catch-up path (feed() before
// draining parses the rest of the previous bytes into owned copies) is checked too; each fed piece is
// a fresh copy that is wiped once the next one is fed, as a caller reusing its buffer would.
std::vector<std::string> run(bool split_tracks, ByteSpan stream, ByteSpan splits, std::vector<Event>* keep,
                             bool lazy_drain = false) {
  const Demuxer::Options opt = Limits{split_tracks}.options();
  Demuxer d(opt);
  std::vector<std::string> out;
  Event ev;
  Bytes piece, previous;
  size_t pos = 0, k = 0;
  while (pos < stream.size()) {
    size_t n = splits.empty() ? stream.size() : size_t(splits[k++ % splits.size()]) + 1;
    if (n > stream.size() - pos) n = stream.size() - pos;
    if (lazy_drain) {
      previous.swap(piece);
      piece.assign(stream.begin() + static_cast<std::ptrdiff_t>(pos),
                   stream.begin() + static_cast<std::ptrdiff_t>(pos + n));
      d.feed(as_span(piece));
      std::fill(previous.begin(), previous.end(), 0xEE);  // the caller reuses the previous buffer
    } else {
      d.feed(stream.subspan(pos, n));
    }
    pos += n;
    if (d.buffered() > size_t(opt.max_tag_size) * 2 + opt.resync_window + 64) fail("buffered more than the limits allow");
    if (lazy_drain && k % 2 == 1) continue;
    while (d.next(&ev)) {
      out.push_back(fingerprint(ev));  // a copy: views are valid only until the next feed()
      if (keep) {
        ev.own_body();
        keep->push_back(ev);
      }
    }
  }
  d.finish();
  while (d.next(&ev)) {
    out.push_back(fingerprint(ev));
    if (keep) {
      ev.own_body();
      keep->push_back(ev);
    }
  }
  return out;
}

// A track after the first of a Multitrack tag writes as the message part plus its own fields: those
// are not the body's first bytes, so only the parse of what was written is compared. The payload is
// appended before parsing again (a ManyTracks track's size field counts it).
void check_header_round_trip(const Event& ev) {
  Bytes written;
  ByteWriter w(&written);
  const ByteSpan body(ev.tag.body);
  const ByteSpan payload = ev.payload();
  const bool first_track = ev.track_index == 0;
  if (ev.kind == EventKind::kVideo) {
    if (!write_video_tag_header(ev.video, w).ok()) fail("parsed video header does not write");
    const size_t header_size = written.size();
    w.bytes(payload);
    auto again = parse_video_tag_header(written);
    if (!again.ok()) fail("written video header does not parse");
    VideoTagHeader a = *again, b = ev.video;
    // ModEx entries other than one 3-byte TimestampOffsetNano are not kept; otherwise bytes agree.
    const bool mod_ex = b.enhanced && (body[0] & 0x0F) == 7;
    if (first_track && !mod_ex &&
        (header_size != b.payload_offset || !std::equal(written.begin(), written.begin() + long(header_size), body.begin())))
      fail("video header bytes differ after write");
    a.payload_offset = b.payload_offset = a.payload_end = b.payload_end = 0;
    if (!(a == b)) fail("video header differs after write + parse");
  } else if (ev.kind == EventKind::kAudio) {
    if (!write_audio_tag_header(ev.audio, w).ok()) fail("parsed audio header does not write");
    const size_t header_size = written.size();
    w.bytes(payload);
    auto again = parse_audio_tag_header(written);
    if (!again.ok()) fail("written audio header does not parse");
    AudioTagHeader a = *again, b = ev.audio;
    const bool mod_ex = b.enhanced && (body[0] & 0x0F) == 7;
    if (first_track && !mod_ex &&
        (header_size != b.payload_offset || !std::equal(written.begin(), written.begin() + long(header_size), body.begin())))
      fail("audio header bytes differ after write");
    a.payload_offset = b.payload_offset = a.payload_end = b.payload_end = 0;
    if (!(a == b)) fail("audio header differs after write + parse");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t nsplit = data[0] % 8;
  if (size < 1 + nsplit) return 0;
  const ByteSpan splits(data + 1, nsplit);
  const ByteSpan stream(data + 1 + nsplit, size - 1 - nsplit);
  const bool tracks = (data[0] & 0x08) != 0;
  std::vector<Event> events;
  const auto whole = run(tracks, stream, {}, &events);
  const auto split = run(tracks, stream, splits, nullptr);
  if (whole != split) fail("events differ between one feed and split feeds");
  const auto bytewise = run(tracks, stream, ByteSpan(reinterpret_cast<const uint8_t*>("\0"), 1), nullptr);
  if (whole != bytewise) fail("events differ between one feed and 1-byte feeds");
  if (!splits.empty() && whole != run(tracks, stream, splits, nullptr, true))
    fail("events differ between one feed and split feeds drained every other feed");
  for (const auto& ev : events) check_header_round_trip(ev);
  return 0;
}
