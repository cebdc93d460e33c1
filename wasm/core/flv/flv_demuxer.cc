#include "flv/flv_demuxer.h"

#include <algorithm>
#include <string>

#include "base/byte_reader.h"
#include "flv/flv_tag_header.h"

namespace lw::flv {
namespace {

uint32_t be24(const uint8_t* p) { return uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2]; }
uint32_t be32(const uint8_t* p) { return uint32_t(p[0]) << 24 | be24(p + 1); }

std::string at(uint64_t offset) { return " at offset " + std::to_string(offset); }

// Resync verdict for one candidate position.
struct Verdict {
  enum Kind : uint8_t { kAccept, kReject, kNeed } kind;
  size_t need = 0;  // kNeed: bytes from the candidate that must be present to decide
};

// A plausible tag header for resynchronisation: a known type with no reserved or Filter bits, a
// DataSize within the limit, StreamID 0 (E.4.1: "always 0").
bool known_tag_type(uint8_t type_byte) {
  const uint8_t t = type_byte & 0xDF;  // the Filter bit (0x20) may be set; the reserved bits may not
  return t == 8 || t == 9 || t == 18;
}

bool plausible_tag_header(const uint8_t* p, uint32_t max_tag_size) {
  if (!known_tag_type(p[0])) return false;
  if (be24(p + 8) != 0) return false;
  return be24(p + 1) <= max_tag_size;
}

// FFmpeg's resync() (libavformat/flvdec.c) accepts a position when two consecutive tags have
// PreviousTagSize == 11 + DataSize. At the end of the input (`single`), one consistent tag is enough:
// there may be only one tag left after the garbage.
Verdict check_candidate(ByteSpan v, uint32_t max_tag_size, uint32_t window, bool single) {
  size_t first = 0;
  for (int n = 0; n < (single ? 1 : 2); ++n) {
    if (v.size() < first + kTagHeaderSize) return {Verdict::kNeed, first + kTagHeaderSize};
    if (!plausible_tag_header(v.data() + first, max_tag_size)) return {Verdict::kReject};
    const uint32_t size = be24(v.data() + first + 1);
    const size_t end = first + kTagHeaderSize + size + kPreviousTagSizeSize;
    if (end > window) return {Verdict::kReject};
    if (v.size() < end) return {Verdict::kNeed, end};
    if (be32(v.data() + end - kPreviousTagSizeSize) != size + kTagHeaderSize) return {Verdict::kReject};
    first = end;
  }
  return {Verdict::kAccept};
}

}  // namespace

std::string_view event_kind_name(EventKind kind) {
  switch (kind) {
    case EventKind::kHeader: return "header";
    case EventKind::kScript: return "script";
    case EventKind::kAudio: return "audio";
    case EventKind::kVideo: return "video";
    case EventKind::kWarning: return "warning";
    case EventKind::kError: return "error";
  }
  return "unknown";
}

Event::Event(const Event& other) { *this = other; }

Event& Event::operator=(const Event& other) {
  if (this == &other) return *this;
  kind = other.kind;
  offset = other.offset;
  header = other.header;
  tag = other.tag;
  video = other.video;
  audio = other.audio;
  script = other.script;
  status = other.status;
  skipped_bytes = other.skipped_bytes;
  timestamp_discontinuity = other.timestamp_discontinuity;
  track_index = other.track_index;
  owned_body = other.owned_body;
  if (!other.owned_body.empty() && other.tag.body.data() == other.owned_body.data()) {
    tag.body = as_span(owned_body);
  }
  return *this;
}

void Event::own_body() {
  if (tag.body.data() == owned_body.data() && tag.body.size() == owned_body.size()) return;
  owned_body.assign(tag.body.begin(), tag.body.end());
  tag.body = as_span(owned_body);
}

namespace {
// [offset, end) of the body; end 0 (a header not from the parser) means the body's end.
ByteSpan payload_span(ByteSpan body, size_t offset, size_t end) {
  end = end == 0 ? body.size() : std::min(end, body.size());
  offset = std::min(offset, end);
  return body.subspan(offset, end - offset);
}
}  // namespace

ByteSpan Event::payload() const {
  const ByteSpan body(tag.body);
  if (kind == EventKind::kVideo) return payload_span(body, video.payload_offset, video.payload_end);
  if (kind == EventKind::kAudio) return payload_span(body, audio.payload_offset, audio.payload_end);
  return {};
}

int64_t Event::pts_ms() const {
  return int64_t(tag.timestamp_ms) + (kind == EventKind::kVideo ? video.composition_time_ms : 0);
}

Demuxer::Demuxer() : Demuxer(Options{}) {}

Demuxer::Demuxer(const Options& options) : opt_(options) { reset(); }

void Demuxer::reset() {
  state_ = opt_.expect_header ? State::kHeader : State::kTag;
  input_ = {};
  buf_.clear();
  buf_pos_ = 0;
  spare_.clear();
  out_ = nullptr;
  delivered_ = false;
  keep_copies_ = false;
  pos_ = 0;
  fed_ = 0;
  header_extra_left_ = 0;
  resync_start_ = 0;
  have_audio_ts_ = have_video_ts_ = false;
  last_audio_ts_ = last_video_ts_ = 0;
  events_.clear();
}

// The per-tag path: nothing queued, one step of parsing fills *out in place.
bool Demuxer::next(Event* out) {
  for (;;) {
    if (!events_.empty()) {
      *out = std::move(events_.front());
      events_.pop_front();
      return true;
    }
    out_ = out;
    delivered_ = false;
    const bool progressed = advance();
    out_ = nullptr;
    if (delivered_) return true;
    if (!progressed) return false;
  }
}

bool Demuxer::has_event() {
  while (events_.empty() && advance()) {
  }
  return !events_.empty();
}

void Demuxer::detach() {
  if (input_.empty()) return;
  keep_copies_ = true;
  while (advance()) {
  }
  keep_copies_ = false;
}

void Demuxer::push_problem(EventKind kind, Status status, uint64_t offset, uint64_t skipped) {
  Event ev;
  ev.kind = kind;
  ev.offset = offset;
  ev.status = std::move(status);
  ev.skipped_bytes = skipped;
  events_.push_back(std::move(ev));
}

size_t Demuxer::feed(ByteSpan data) {
  const size_t n = data.size();
  fed_ += n;
  if (state_ == State::kFinished) {
    if (n) push_problem(EventKind::kError, Status(ErrorCode::kMisuse, "feed after finish(): bytes ignored"), pos_, n);
    return n;
  }
  detach();  // the caller did not drain the previous bytes
  input_ = data;
  return n;
}

// One step of parsing; false when more input is needed. While nothing is buffered, units are parsed
// straight from the fed span; a unit that the span ends inside is copied to buf_ and completed from
// later feeds, adding only as many bytes as the unit needs, then parsing returns to the fed span.
// step() decides from the bytes alone (never from how many happen to be available beyond what it
// asked for), so any split gives the same events.
bool Demuxer::advance() {
  if (state_ == State::kFinished) return false;
  if (buffered() > 0) {
    const Step s = step(ByteSpan(buf_.data() + buf_pos_, buffered()));
    if (s.consumed > 0 || s.need == 0) {
      buf_pos_ += s.consumed;
      pos_ += s.consumed;
      compact();
      return true;
    }
    if (input_.empty()) return false;
    const size_t want = s.need > buffered() ? s.need - buffered() : 1;
    const size_t take = std::min(want, input_.size());
    buf_.insert(buf_.end(), input_.begin(), input_.begin() + static_cast<std::ptrdiff_t>(take));
    input_ = input_.subspan(take);
    return true;
  }
  if (input_.empty()) return false;
  const Step s = step(input_);
  if (s.consumed > 0 || s.need == 0) {
    input_ = input_.subspan(s.consumed);
    pos_ += s.consumed;
    return true;
  }
  // Shorter than the unit needs. Assembled in the other buffer: the straddling tag this feed may have
  // completed in buf_ is viewed by an event until the next feed(). Both keep their capacity.
  std::swap(buf_, spare_);
  buf_.assign(input_.begin(), input_.end());
  buf_pos_ = 0;
  input_ = {};
  return true;
}

// A fully consumed buf_ is left as it is (buffered() == 0): an event may view its last tag, and the
// next unit is assembled in spare_ anyway. Only a partly consumed buffer (while resynchronising) is
// compacted; no event views it then (emit_tag copies such bodies).
void Demuxer::compact() {
  if (buf_pos_ == buf_.size()) {
    return;
  } else if (buf_pos_ >= 4096 && buf_pos_ * 2 >= buf_.size()) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(buf_pos_));
    buf_pos_ = 0;
  }
}

Demuxer::Step Demuxer::step(ByteSpan view) {
  switch (state_) {
    case State::kHeader: return step_header(view);
    case State::kHeaderExtra: return step_header_extra(view);
    case State::kPreviousTagSize0: return step_previous_tag_size0(view);
    case State::kTag: return step_tag(view);
    case State::kResync: return step_resync(view, false);
    case State::kFinished: return {view.size(), 0};
  }
  return {view.size(), 0};
}

// FLV header, E.2: "FLV", UI8 version, UI8 flags (bit 2 audio, bit 0 video), UI32 DataOffset.
Demuxer::Step Demuxer::step_header(ByteSpan view) {
  if (view.size() < kFileHeaderSize) return {0, kFileHeaderSize};
  const uint8_t* p = view.data();
  if (p[0] != 'F' || p[1] != 'L' || p[2] != 'V') {
    push_problem(EventKind::kError,
                 Status(ErrorCode::kInvalid, "FLV header signature is not 'FLV'; searching for tags"), pos_);
    resync_start_ = pos_;
    state_ = State::kResync;
    return {0, 0};
  }
  Event ev;
  ev.kind = EventKind::kHeader;
  ev.offset = pos_;
  ev.header.version = p[3];
  ev.header.has_audio = (p[4] & 0x04) != 0;
  ev.header.has_video = (p[4] & 0x01) != 0;
  ev.header.data_offset = be32(p + 5);
  const uint32_t offset = ev.header.data_offset;
  events_.push_back(std::move(ev));
  header_extra_left_ = 0;
  if (offset < kFileHeaderSize || offset - kFileHeaderSize > opt_.max_header_extra) {
    push_problem(EventKind::kWarning,
                 Status(ErrorCode::kLimitExceeded, "FLV header DataOffset " + std::to_string(offset) +
                                                       " is implausible (9 to " +
                                                       std::to_string(kFileHeaderSize + opt_.max_header_extra) +
                                                       "); assuming 9"),
                 pos_);
  } else {
    header_extra_left_ = offset - kFileHeaderSize;
  }
  state_ = header_extra_left_ ? State::kHeaderExtra : State::kPreviousTagSize0;
  return {kFileHeaderSize, 0};
}

// Bytes between the 9-byte header and DataOffset (future header versions): skipped.
Demuxer::Step Demuxer::step_header_extra(ByteSpan view) {
  if (view.empty()) return {0, 1};
  const size_t take = std::min<size_t>(view.size(), header_extra_left_);
  header_extra_left_ -= static_cast<uint32_t>(take);
  if (header_extra_left_ == 0) state_ = State::kPreviousTagSize0;
  return {take, 0};
}

Demuxer::Step Demuxer::step_previous_tag_size0(ByteSpan view) {
  if (view.size() < kPreviousTagSizeSize) return {0, kPreviousTagSizeSize};
  if (const uint32_t v = be32(view.data()); v != 0) {
    push_problem(EventKind::kWarning,
                 Status(ErrorCode::kInvalid, "PreviousTagSize0 is " + std::to_string(v) + ", expected 0"), pos_);
  }
  state_ = State::kTag;
  return {kPreviousTagSizeSize, 0};
}

void Demuxer::enter_resync() {
  resync_start_ = pos_;
  state_ = State::kResync;
}

// One tag (E.4.1) and the PreviousTagSize after it.
Demuxer::Step Demuxer::step_tag(ByteSpan view) {
  if (view.size() < kTagHeaderSize) return {0, kTagHeaderSize};
  const uint8_t* p = view.data();
  const uint32_t size = be24(p + 1);
  if (!known_tag_type(p[0])) {
    // Not waiting for DataSize bytes of what is most likely garbage (a live stream would stall):
    // the tag is skipped by searching for the next one at once.
    push_problem(EventKind::kWarning,
                 Status(ErrorCode::kUnsupported, "unknown tag type byte " + std::to_string(p[0]) + at(pos_) +
                                                     "; skipped, searching for the next tag"),
                 pos_);
    enter_resync();
    return {1, 0};
  }
  if (size > opt_.max_tag_size) {
    push_problem(EventKind::kWarning,
                 Status(ErrorCode::kLimitExceeded, "tag DataSize " + std::to_string(size) + at(pos_) +
                                                       " is over the limit " + std::to_string(opt_.max_tag_size) +
                                                       "; resynchronising"),
                 pos_);
    enter_resync();
    return {1, 0};
  }
  const size_t total = kTagHeaderSize + size + kPreviousTagSizeSize;
  if (view.size() < total) return {0, total};
  const uint32_t previous = be32(p + kTagHeaderSize + size);
  if (previous != size + kTagHeaderSize) {
    // FFmpeg also accepts DataSize + 10 and DataSize (written by old muxers) without resync.
    if (previous == size + 10 || (previous == size && size != 0)) {
      push_problem(EventKind::kWarning,
                   Status(ErrorCode::kInvalid, "PreviousTagSize " + std::to_string(previous) + " for DataSize " +
                                                   std::to_string(size) + at(pos_) +
                                                   " (expected DataSize + 11); accepted"),
                   pos_);
    } else {
      push_problem(EventKind::kWarning,
                   Status(ErrorCode::kInvalid, "PreviousTagSize " + std::to_string(previous) +
                                                   " != 11 + DataSize " + std::to_string(size) + at(pos_) +
                                                   "; tag dropped, resynchronising"),
                   pos_, 0);
      enter_resync();
      return {1, 0};
    }
  }
  emit_tag(p[0], be24(p + 4) | uint32_t(p[7]) << 24, be24(p + 8), view.subspan(kTagHeaderSize, size), pos_);
  return {total, 0};
}

// Scans candidate positions from the view's start; rejected candidates are consumed. Nothing is
// reported until a position is accepted, so the event stream does not depend on how the scan was
// split across feeds.
Demuxer::Step Demuxer::step_resync(ByteSpan view, bool at_end) {
  size_t i = 0;
  for (; i < view.size(); ++i) {
    const Verdict v = check_candidate(view.subspan(i), opt_.max_tag_size, opt_.resync_window, at_end);
    if (v.kind == Verdict::kReject) continue;
    if (v.kind == Verdict::kNeed) {
      if (at_end) continue;  // no more bytes will come: this position cannot be confirmed
      return {i, i == 0 ? v.need : size_t{0}};
    }
    const uint64_t skipped = pos_ + i - resync_start_;
    push_problem(EventKind::kWarning,
                 Status(ErrorCode::kInvalid, "resynchronised" + at(pos_ + i) + " after skipping " +
                                                 std::to_string(skipped) + " bytes"),
                 pos_ + i, skipped);
    state_ = State::kTag;
    return {i, 0};
  }
  return {i, i == 0 ? size_t{1} : size_t{0}};
}

void Demuxer::emit_tag(uint8_t type_byte, uint32_t timestamp, uint32_t stream_id, ByteSpan body,
                       uint64_t offset) {
  const uint64_t tag_bytes = kTagHeaderSize + body.size() + kPreviousTagSizeSize;
  const uint8_t type = type_byte & 0x1F;
  if (type_byte & 0x20) {
    push_problem(EventKind::kWarning,
                 Status(ErrorCode::kUnsupported, "encrypted tag (Filter bit) of type " + std::to_string(type) +
                                                     at(offset) + " skipped"),
                 offset, tag_bytes);
    return;
  }
  EventKind kind;
  TagType tag_type;
  VideoTagHeader video;
  AudioTagHeader audio;
  ScriptData script;
  Status problem;
  if (type == uint8_t(TagType::kAudio)) {
    kind = EventKind::kAudio;
    tag_type = TagType::kAudio;
    auto h = parse_audio_tag_header(body);
    if (h.ok()) audio = *h; else problem = h.status();
  } else if (type == uint8_t(TagType::kVideo)) {
    kind = EventKind::kVideo;
    tag_type = TagType::kVideo;
    auto h = parse_video_tag_header(body);
    if (h.ok()) video = *h; else problem = h.status();
  } else if (type == uint8_t(TagType::kScript)) {
    kind = EventKind::kScript;
    tag_type = TagType::kScript;
    auto d = parse_script_data(body);
    if (d.ok()) script = std::move(*d); else problem = d.status();
  } else {  // step_tag resynchronises on unknown types; kept for safety
    push_problem(EventKind::kWarning,
                 Status(ErrorCode::kUnsupported, "unknown tag type " + std::to_string(type) + at(offset) + " skipped"),
                 offset, tag_bytes);
    return;
  }
  if (!problem.ok()) {
    problem.context(std::string(tag_type_name(tag_type)) + " tag" + at(offset) + " dropped");
    push_problem(EventKind::kWarning, std::move(problem), offset, tag_bytes);
    return;
  }
  // Warnings about the tag's time are queued first: they precede it.
  const bool discontinuity = kind != EventKind::kScript &&
                             check_timestamp(kind == EventKind::kVideo, timestamp, video.composition_time_ms, offset);
  // The tag goes straight into next()'s Event when nothing is queued before it (the per-tag path),
  // otherwise to the queue.
  const bool direct = out_ != nullptr && events_.empty();
  Event& ev = direct ? *out_ : events_.emplace_back();
  delivered_ = direct;
  ev.kind = kind;
  ev.offset = offset;
  ev.header = FileHeader{};
  ev.tag.type = tag_type;
  ev.tag.timestamp_ms = timestamp;
  ev.tag.stream_id = stream_id;
  ev.video = video;
  ev.audio = audio;
  if (kind == EventKind::kScript) {
    ev.script = std::move(script);
  } else {
    ev.script.name.clear();
    ev.script.values.clear();
  }
  if (!ev.status.ok()) ev.status = Status();
  ev.skipped_bytes = 0;
  ev.timestamp_discontinuity = discontinuity;
  ev.owned_body.clear();
  // The body views the fed bytes, or buf_ for a tag that straddled feeds and ends buf_ (buf_ is then
  // left alone until the next feed(), see advance()). A body in buf_ is copied when the event waits
  // in the queue (a catch-up parse by detach()/finish(), or a warning before the tag: buf_ may move
  // on before it is taken) or lies in the middle of buf_ (after a resync inside the buffer, which is
  // compacted and refilled). detach() copies every body: the caller reuses its buffer next.
  ev.track_index = 0;
  set_event_body(ev, body, direct);
  if (opt_.split_tracks) emit_more_tracks(ev, body, offset);
}

// The body views the fed bytes, or buf_ for a tag that straddled feeds and ends buf_ (buf_ is then left
// alone until the next feed(), see advance()). A body in buf_ is copied when the event waits in the
// queue (a catch-up parse by detach()/finish(), a warning before the tag, a further track of a
// Multitrack tag: buf_ may move on before it is taken) or lies in the middle of buf_ (after a resync
// inside the buffer, which is compacted and refilled). detach() copies every body: the caller reuses
// its buffer next.
void Demuxer::set_event_body(Event& ev, ByteSpan body, bool direct) {
  const uint8_t* b = buf_.data();
  const bool in_buf = !body.empty() && b && body.data() >= b && body.data() < b + buf_.size();
  const bool ends_buf = in_buf && body.data() + body.size() + kPreviousTagSizeSize == b + buf_.size();
  if (keep_copies_ || (in_buf && (!direct || !ends_buf))) {
    ev.owned_body.assign(body.begin(), body.end());
    ev.tag.body = as_span(ev.owned_body);
  } else {
    ev.tag.body = body;
  }
}

// Tracks 1, 2, ... of a ManyTracks / ManyTracksManyCodecs tag, queued after the first track's event.
void Demuxer::emit_more_tracks(const Event& first, ByteSpan body, uint64_t offset) {
  const bool video = first.kind == EventKind::kVideo;
  VideoTagHeader vh = first.video;
  AudioTagHeader ah = first.audio;
  for (uint8_t index = 1; video ? has_next_track(body, vh) : has_next_track(body, ah); ++index) {
    Status problem;
    if (video) {
      auto h = parse_next_video_track(body, vh);
      if (h.ok()) vh = *h; else problem = h.status();
    } else {
      auto h = parse_next_audio_track(body, ah);
      if (h.ok()) ah = *h; else problem = h.status();
    }
    if (!problem.ok() || index == 255) {
      if (problem.ok()) problem = Status(ErrorCode::kLimitExceeded, "over 255 tracks");
      problem.context(std::string(tag_type_name(first.tag.type)) + " tag" + at(offset) + ": track " +
                      std::to_string(index) + " and after dropped");
      push_problem(EventKind::kWarning, std::move(problem), offset, 0);
      return;
    }
    Event& ev = events_.emplace_back();
    ev.kind = first.kind;
    ev.offset = offset;
    ev.tag.type = first.tag.type;
    ev.tag.timestamp_ms = first.tag.timestamp_ms;
    ev.tag.stream_id = first.tag.stream_id;
    ev.video = vh;
    ev.audio = ah;
    ev.timestamp_discontinuity = first.timestamp_discontinuity;
    ev.track_index = index;
    set_event_body(ev, body, false);
  }
}

// FFmpeg flags composition times over 15 minutes and negative ones; we report jumps within each
// media type and composition times over the limit, and let the consumer decide.
bool Demuxer::check_timestamp(bool video, uint32_t ts, int32_t cts, uint64_t offset) {
  bool discontinuity = false;
  bool& have = video ? have_video_ts_ : have_audio_ts_;
  uint32_t& last = video ? last_video_ts_ : last_audio_ts_;
  if (have && ts < last) {
    discontinuity = true;
    push_problem(EventKind::kWarning,
                 Status(ErrorCode::kInvalid, std::string(video ? "video" : "audio") + " timestamp went backwards from " +
                                                 std::to_string(last) + " to " + std::to_string(ts) + " ms" + at(offset)),
                 offset);
  } else if (have && ts - last > opt_.max_timestamp_jump_ms) {
    discontinuity = true;
    push_problem(EventKind::kWarning,
                 Status(ErrorCode::kInvalid, std::string(video ? "video" : "audio") + " timestamp jumped forward from " +
                                                 std::to_string(last) + " to " + std::to_string(ts) + " ms" + at(offset)),
                 offset);
  }
  have = true;
  last = ts;
  if (video && (int64_t(cts) > int64_t(opt_.max_composition_time_ms) ||
                -int64_t(cts) > int64_t(opt_.max_composition_time_ms))) {
    discontinuity = true;
    push_problem(EventKind::kWarning,
                 Status(ErrorCode::kInvalid, "video CompositionTime " + std::to_string(cts) + " ms" + at(offset) +
                                                 " is over the limit " + std::to_string(opt_.max_composition_time_ms)),
                 offset);
  }
  return discontinuity;
}

// At the end of the input: steps over what is buffered with resync relaxed to single tags, then
// reports whatever unit is still incomplete.
void Demuxer::finish() {
  if (state_ == State::kFinished) return;
  while (advance()) {  // what next() has not reached yet; the events keep viewing the fed bytes
  }
  input_ = {};
  for (;;) {
    while (buffered() > 0 || state_ == State::kResync) {
      const ByteSpan view(buf_.data() + buf_pos_, buffered());
      const Step s = state_ == State::kResync ? step_resync(view, true) : step(view);
      if (s.consumed == 0 && s.need != 0) break;
      buf_pos_ += s.consumed;
      pos_ += s.consumed;
      compact();
      if (state_ == State::kResync && buffered() == 0) break;
    }
    if (!final_tag_is_garbage()) break;
    // The "tag" the input ended in claimed more bytes than came, yet a whole tag follows inside
    // them: it was garbage with a plausible header. Search on from the byte after it.
    push_problem(EventKind::kWarning,
                 Status(ErrorCode::kInvalid, "tag" + at(pos_) + " with DataSize " +
                                                 std::to_string(be24(buf_.data() + buf_pos_ + 1)) +
                                                 " runs past the end of the input but a whole tag follows inside it;"
                                                 " resynchronising"),
                 pos_);
    enter_resync();
    ++buf_pos_;
    ++pos_;
  }
  finish_tail();
  buf_.clear();
  buf_pos_ = 0;
  state_ = State::kFinished;
}

// At the end of the input in kTag with an incomplete tag buffered: true when a whole, consistent
// tag starts somewhere after the incomplete tag's first byte.
bool Demuxer::final_tag_is_garbage() const {
  if (state_ != State::kTag || buffered() < kTagHeaderSize) return false;
  const ByteSpan view(buf_.data() + buf_pos_, buffered());
  if (view.size() >= kTagHeaderSize + be24(view.data() + 1)) return false;  // body whole: a real tag
  for (size_t i = 1; i < view.size(); ++i)
    if (check_candidate(view.subspan(i), opt_.max_tag_size, opt_.resync_window, true).kind == Verdict::kAccept)
      return true;
  return false;
}

void Demuxer::finish_tail() {
  const size_t have = buffered();
  const uint8_t* p = buf_.data() + buf_pos_;
  switch (state_) {
    case State::kHeader:
      push_problem(EventKind::kError,
                   Status(ErrorCode::kTruncated, have == 0 && pos_ == 0
                                                     ? "input ended before the FLV header (empty input)"
                                                     : "FLV header truncated: " + std::to_string(have) + " of 9 bytes"),
                   pos_, have);
      return;
    case State::kHeaderExtra:
      push_problem(EventKind::kError,
                   Status(ErrorCode::kTruncated, "input ended inside the header's DataOffset padding"), pos_, have);
      return;
    case State::kPreviousTagSize0:
      push_problem(EventKind::kError,
                   Status(ErrorCode::kTruncated, "PreviousTagSize0 truncated: " + std::to_string(have) + " of 4 bytes"),
                   pos_, have);
      return;
    case State::kTag: {
      if (have == 0) return;
      if (have < kTagHeaderSize) {
        push_problem(EventKind::kError,
                     Status(ErrorCode::kTruncated, "final tag header" + at(pos_) + " truncated: " +
                                                       std::to_string(have) + " of 11 bytes"),
                     pos_, have);
        return;
      }
      const uint32_t size = be24(p + 1);
      if (have >= kTagHeaderSize + size) {
        // Some writers stop after the last tag's body; the tag itself is whole.
        push_problem(EventKind::kWarning,
                     Status(ErrorCode::kTruncated, "final tag" + at(pos_) + " has no PreviousTagSize (" +
                                                       std::to_string(have - kTagHeaderSize - size) + " of 4 bytes)"),
                     pos_, have - kTagHeaderSize - size);
        emit_tag(p[0], be24(p + 4) | uint32_t(p[7]) << 24, be24(p + 8), ByteSpan(p + kTagHeaderSize, size), pos_);
        return;
      }
      push_problem(EventKind::kError,
                   Status(ErrorCode::kTruncated, "final tag" + at(pos_) + " truncated: DataSize " + std::to_string(size) +
                                                     " needs " + std::to_string(kTagHeaderSize + size + 4) +
                                                     " bytes, got " + std::to_string(have)),
                   pos_, have);
      return;
    }
    case State::kResync: {
      const uint64_t skipped = pos_ + have - resync_start_;
      push_problem(EventKind::kError,
                   Status(ErrorCode::kInvalid, "no valid tag found after offset " + std::to_string(resync_start_) +
                                                   "; " + std::to_string(skipped) + " bytes skipped at the end"),
                   resync_start_, skipped);
      return;
    }
    case State::kFinished: return;
  }
}

}  // namespace lw::flv
