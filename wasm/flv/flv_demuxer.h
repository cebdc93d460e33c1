// FLV demuxer, sans-IO: bytes in through feed(), events out through next(). Works with any split of
// the input into chunks (1-byte feeds give the same events as one big feed; a test and the fuzz
// target check it).
//
//   flv::Demuxer demux;                       // or Demuxer(Demuxer::Options{...})
//   demux.feed(chunk);                        // always consumes the whole chunk
//   flv::Event ev;
//   while (demux.next(&ev)) {
//     switch (ev.kind) {
//       case flv::EventKind::kHeader:  ev.header.has_video ... break;
//       case flv::EventKind::kScript:  ev.script.name == "onMetaData", ev.script.values ... break;
//       case flv::EventKind::kVideo:   ev.video.codec, ev.video.key_frame(), ev.tag.timestamp_ms,
//                                      ev.video.composition_time_ms, ev.payload() ... break;
//       case flv::EventKind::kAudio:   ev.audio.codec, ev.audio.packet_type, ev.payload() ... break;
//       case flv::EventKind::kWarning: log ev.status.reason(); parsing went on ... break;
//       case flv::EventKind::kError:   ev.status.code() == kTruncated at the end ... break;
//     }
//   }
//   demux.finish();                           // end of input: a truncated last tag -> kError event
//   while (demux.next(&ev)) ...
//
// Buffering: feed() consumes everything it is given. The demuxer keeps at most one incomplete unit
// internally (a partial header, one partial tag of at most Options::max_tag_size bytes, or, while
// resynchronising, at most Options::resync_window bytes). Memory grows only with bytes that have
// arrived, never with what a length field claims. A tag is emitted once its body and its trailing
// PreviousTagSize have arrived (the PreviousTagSize is what tells a good tag from garbage).
//
// No copy on the per-tag path: an event's `tag.body` is a VIEW of the bytes passed to feed() when the
// tag lay wholly inside them (the usual case: one network read holds many tags), so the caller keeps
// that buffer alive and unchanged until it has drained the events of that feed (or copies what it
// keeps: `ev.tag.to_tag()`). Only a tag that straddled feed() calls is copied, once, into the event
// itself (`owned_body`), because the demuxer's assembly buffer moves on. Drain with next() after
// each feed.
//
// Robustness (after FFmpeg's libavformat/flvdec.c):
// - PreviousTagSize != 11 + DataSize: the tag is dropped with a kWarning, and the demuxer scans
//   forward from the byte after the bad tag's start for a position where a tag header is followed
//   by a consistent PreviousTagSize and a second such tag (two consecutive consistent tags, as
//   FFmpeg's resync()); the skipped byte count is reported in a kWarning (`skipped_bytes`).
//   A PreviousTagSize of DataSize or DataSize + 10 (old broken muxers, which FFmpeg also accepts)
//   is accepted with a kWarning.
// - DataSize over max_tag_size: kWarning (kLimitExceeded), then resync as above.
// - Unknown tag types: a kWarning, then resync at once (garbage must not make us wait for the
//   DataSize it claims). Encrypted (Filter bit) tags: skipped with a kWarning.
// - Media headers that do not parse (empty body, truncated header, bad packet type): kWarning,
//   tag dropped. Script data that AMF0 cannot decode: kWarning, tag dropped.
// - Timestamps going backwards, or jumping forward by more than max_timestamp_jump_ms, within the
//   audio or the video tags: a kWarning before the tag, and the tag's event has
//   `timestamp_discontinuity` set. A composition time beyond max_composition_time_ms: kWarning and
//   `timestamp_discontinuity` too. The tag is still delivered: its consumer decides.
// - Header: a bad signature is a kError, then tags are searched by resync; a DataOffset below 9 or
//   beyond 9 + max_header_extra is a kWarning and 9 is assumed; a non-zero PreviousTagSize0 a kWarning.
// - finish(): a partial header/tag is a kError (kTruncated) naming what was missing; a complete last
//   tag without its PreviousTagSize is delivered with a kWarning; leftover resync bytes, and a final
//   "tag" that claims more bytes than came but has a whole tag inside, are searched for single
//   consistent tags (at the end, one is enough), the rest reported.
#pragma once

#include <cstdint>
#include <deque>

#include "base/bytes.h"
#include "base/status.h"
#include "flv/flv_tag.h"

namespace lw::flv {

enum class EventKind : uint8_t { kHeader, kScript, kAudio, kVideo, kWarning, kError };
std::string_view event_kind_name(EventKind kind);  // "header", "script", ...

struct Event {
  EventKind kind = EventKind::kWarning;
  uint64_t offset = 0;  // stream offset of the header/tag, or where the problem was found
  FileHeader header;     // kHeader
  TagView tag;           // kScript, kAudio, kVideo: type, timestamp, stream id, a view of the raw body
  VideoTagHeader video;  // kVideo
  AudioTagHeader audio;  // kAudio
  ScriptData script;     // kScript
  Status status;         // kWarning, kError: code and reason
  uint64_t skipped_bytes = 0;           // kWarning/kError: bytes dropped (resync, unknown tag)
  bool timestamp_discontinuity = false; // kAudio/kVideo: a warning about this tag's time precedes it

  // The codec data of an audio/video tag (the body after the (Ex)Audio/VideoTagHeader).
  ByteSpan payload() const;
  // Presentation time of a video tag: timestamp + composition time (ms, may exceed 32 bits).
  int64_t pts_ms() const;

  Event() = default;
  // Copies re-point the body view when it views the event's own copy (see owned_body).
  Event(const Event& other);
  Event& operator=(const Event& other);
  Event(Event&&) = default;  // a moved vector keeps its buffer, so the view stays valid
  Event& operator=(Event&&) = default;

  // Holds the body only for a tag that straddled feed() calls (it was assembled in the demuxer's
  // buffer, which moves on); empty when tag.body views the caller's bytes.
  Bytes owned_body;
};

class Demuxer {
 public:
  struct Options {
    // Largest DataSize accepted; larger tags are treated as corruption (kLimitExceeded). The format
    // allows 16 MiB - 1; a 4K key frame is a few MB.
    uint32_t max_tag_size = 8 << 20;
    // Bytes the header's DataOffset may add after the 9-byte header (skipped).
    uint32_t max_header_extra = 1024;
    // Resync looks for two consecutive consistent tags within this many bytes of a candidate
    // position (FFmpeg: RESYNC_BUFFER_SIZE, 1 MiB); larger tags cannot be resynchronised to.
    uint32_t resync_window = 1 << 20;
    uint32_t max_timestamp_jump_ms = 60'000;
    uint32_t max_composition_time_ms = 60'000;
    // false: the input starts with tags (no FLV header, no PreviousTagSize0), e.g. a tag stream
    // made by the RTMP player.
    bool expect_header = true;
  };

  Demuxer();
  explicit Demuxer(const Options& options);

  // Consumes all of `data` (returned for symmetry with other parsers). After finish() the input is
  // ignored with a kError (kMisuse) event.
  size_t feed(ByteSpan data);
  // End of input: reports a truncated final unit (see above). Idempotent.
  void finish();
  // Pops the next event; false when none is queued.
  bool next(Event* out);
  bool has_event() const { return !events_.empty(); }
  // Bytes fed so far.
  uint64_t bytes_fed() const { return fed_; }
  // Bytes currently buffered (incomplete unit).
  size_t buffered() const { return buf_.size() - buf_pos_; }
  void reset();

 private:
  enum class State : uint8_t { kHeader, kHeaderExtra, kPreviousTagSize0, kTag, kResync, kFinished };
  struct Step {
    size_t consumed = 0;  // bytes of the view consumed
    size_t need = 0;      // if nothing consumed: bytes the view must hold to make progress;
                          // 0 with nothing consumed: the state changed, step again
  };

  Step step(ByteSpan view);
  Step step_header(ByteSpan view);
  Step step_header_extra(ByteSpan view);
  Step step_previous_tag_size0(ByteSpan view);
  Step step_tag(ByteSpan view);
  Step step_resync(ByteSpan view, bool at_end);
  void finish_tail();
  bool final_tag_is_garbage() const;
  void emit_tag(uint8_t type_byte, uint32_t timestamp, uint32_t stream_id, ByteSpan body, uint64_t offset);
  void check_timestamp(Event& ev);
  void push_problem(EventKind kind, Status status, uint64_t offset, uint64_t skipped = 0);
  void enter_resync();
  void compact();

  Options opt_;
  State state_ = State::kHeader;
  Bytes buf_;           // bytes of the current incomplete unit (from buf_pos_)
  size_t buf_pos_ = 0;
  uint64_t pos_ = 0;    // stream offset of the first unconsumed byte
  uint64_t fed_ = 0;
  uint32_t header_extra_left_ = 0;
  uint64_t resync_start_ = 0;     // where the current resync began
  bool have_audio_ts_ = false, have_video_ts_ = false;
  uint32_t last_audio_ts_ = 0, last_video_ts_ = 0;
  std::deque<Event> events_;
};

}  // namespace lw::flv
