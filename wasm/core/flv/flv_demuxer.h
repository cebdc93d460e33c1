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
// Buffering: feed() takes everything it is given. The demuxer keeps at most one incomplete unit
// internally (a partial header, one partial tag of at most Options::max_tag_size bytes, or, while
// resynchronising, at most Options::resync_window bytes), assembled in one of two reused buffers
// (the other holds the last tag that straddled feeds, which an event may still view). Memory grows
// only with bytes that have arrived, never with what a length field claims. A tag is emitted once
// its body and its trailing PreviousTagSize have arrived (the PreviousTagSize is what tells a good
// tag from garbage).
//
// No copy and no allocation on the per-tag path: feed() only records the span; next() parses one
// unit at a time straight from it and fills the caller's Event in place (no queue of pre-parsed
// events; a small queue holds only the rare extra events of one step, e.g. a warning before its tag).
// An event's `tag.body` (and payload()) is a VIEW, valid until the next feed():
// - of the bytes passed to feed(), when the tag lay wholly inside them (the usual case: one network
//   read holds many tags). Parsing reads them as you pull events: keep them alive and unchanged
//   until next() has returned false (or until the next feed()), and for as long as you use views;
// - of the demuxer's own assembly buffer, for a tag that straddled feed() calls: valid until the
//   next feed(), finish() or reset().
// A consumer that keeps a tag longer copies it: `ev.tag.to_tag()`, or `ev.own_body()` (the event then
// holds its body and survives copies). Drain with next() after each feed(). If you feed() again
// before draining, the rest of the previous bytes is parsed at that call, into events that own
// copies of their bodies (slow but safe: the previous buffer may be reused once feed() returns);
// detach() does the same without feeding. finish() parses what is left at once, keeping views of
// the fed bytes (keep them until drained).
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
// - Multitrack tags (Enhanced RTMP v2): see Options::split_tracks. A reserved AvMultitrackType is a
//   kWarning (kUnsupported) and the tag is dropped, never read as another layout.
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
  // kAudio/kVideo with Options::split_tracks: which track of a Multitrack tag this event is (0 for the
  // first; every track's event views the same tag). Always 0 otherwise.
  uint8_t track_index = 0;

  // The codec data of an audio/video tag (the body after the (Ex)Audio/VideoTagHeader; of a Multitrack
  // tag, the track's own data: [payload_offset, payload_end)).
  ByteSpan payload() const;
  // Presentation time of a video tag: timestamp + composition time (ms, may exceed 32 bits).
  int64_t pts_ms() const;

  Event() = default;
  // Makes the event hold a copy of its body (in owned_body) and view that: it then outlives the
  // fed bytes, the demuxer and its copies. Allocation-free when owned_body has the capacity.
  void own_body();

  // Copies re-point the body view when it views the event's own copy (see owned_body).
  Event(const Event& other);
  Event& operator=(const Event& other);
  Event(Event&&) = default;  // a moved vector keeps its buffer, so the view stays valid
  Event& operator=(Event&&) = default;

  // Holds the body after own_body(), or for a tag parsed by the catch-up paths (feed() before
  // draining, detach(), finish()) when its bytes were in the demuxer's buffer; empty otherwise.
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
    // true: a Multitrack tag with several tracks (Enhanced RTMP v2 ManyTracks, ManyTracksManyCodecs)
    // gives one event per track (track_index 0, 1, ...), each with that track's header and payload;
    // a track that does not parse ends the tag with a kWarning (the tracks before it are delivered).
    // false: one event per tag, with the first track's header (what a relay that forwards tags wants).
    bool split_tracks = false;
  };

  Demuxer();
  explicit Demuxer(const Options& options);

  // Takes all of `data` (returned for symmetry with other parsers); next() parses it. After
  // finish() the input is ignored with a kError (kMisuse) event.
  size_t feed(ByteSpan data);
  // End of input: parses what is left, reports a truncated final unit (see above). Idempotent.
  void finish();
  // Parses up to the next event and fills *out; false when the fed bytes hold no more events.
  bool next(Event* out);
  // True when next() would return an event (parses, at most up to that event, the slow way).
  bool has_event();
  // Parses the rest of the last feed()'s bytes now, into events owning their bodies, so that the
  // caller may reuse its buffer without draining first. A no-op after draining.
  void detach();
  // Bytes fed so far.
  uint64_t bytes_fed() const { return fed_; }
  // While searching for the next good tag (resync), the bytes fed since the search began: none of
  // them is known to be good yet. A stream of endless garbage never reports skipped_bytes (that
  // comes when a tag is found again), so a consumer that must bound garbage watches this. 0 otherwise.
  uint64_t resync_pending_bytes() const { return state_ == State::kResync ? fed_ - resync_start_ : 0; }
  // Bytes held in the demuxer's own buffer (an incomplete unit), not counting fed bytes that next()
  // has not reached yet.
  size_t buffered() const { return buf_.size() - buf_pos_; }
  void reset();

 private:
  enum class State : uint8_t { kHeader, kHeaderExtra, kPreviousTagSize0, kTag, kResync, kFinished };
  struct Step {
    size_t consumed = 0;  // bytes of the view consumed
    size_t need = 0;      // if nothing consumed: bytes the view must hold to make progress;
                          // 0 with nothing consumed: the state changed, step again
  };

  bool advance();
  Step step(ByteSpan view);
  Step step_header(ByteSpan view);
  Step step_header_extra(ByteSpan view);
  Step step_previous_tag_size0(ByteSpan view);
  Step step_tag(ByteSpan view);
  Step step_resync(ByteSpan view, bool at_end);
  void finish_tail();
  bool final_tag_is_garbage() const;
  void emit_tag(uint8_t type_byte, uint32_t timestamp, uint32_t stream_id, ByteSpan body, uint64_t offset);
  void set_event_body(Event& ev, ByteSpan body, bool direct);
  void emit_more_tracks(const Event& first, ByteSpan body, uint64_t offset);
  bool check_timestamp(bool video, uint32_t ts, int32_t cts, uint64_t offset);
  void push_problem(EventKind kind, Status status, uint64_t offset, uint64_t skipped = 0);
  void enter_resync();
  void compact();

  Options opt_;
  State state_ = State::kHeader;
  ByteSpan input_;      // bytes of the last feed() that next() has not parsed yet
  Bytes buf_;           // bytes of the current incomplete unit (from buf_pos_)
  size_t buf_pos_ = 0;
  Bytes spare_;         // the other assembly buffer: holds the last straddling tag events may view
  Event* out_ = nullptr;     // inside next(): where a tag event goes when nothing is queued before it
  bool delivered_ = false;   // inside next(): *out_ was filled
  bool keep_copies_ = false; // detach(): every body is copied
  uint64_t pos_ = 0;    // stream offset of the first unconsumed byte
  uint64_t fed_ = 0;
  uint32_t header_extra_left_ = 0;
  uint64_t resync_start_ = 0;     // where the current resync began
  bool have_audio_ts_ = false, have_video_ts_ = false;
  uint32_t last_audio_ts_ = 0, last_video_ts_ = 0;
  std::deque<Event> events_;  // extra events of one step, or of a catch-up parse
};

}  // namespace lw::flv
