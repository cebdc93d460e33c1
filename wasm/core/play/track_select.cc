#include "play/track_select.h"

namespace lw::play {

namespace {
const char* kind_name(TrackKind kind) { return kind == TrackKind::kVideo ? "video" : "audio"; }
constexpr size_t kMaxEvents = 64;
}  // namespace

void TrackSelect::event(TrackEvent::Type type, TrackKind kind, int id, std::string message) {
  if (events_.size() >= kMaxEvents) events_.pop_front();
  events_.push_back({type, kind, id, std::move(message)});
}

void TrackSelect::seen(TrackKind kind, int id, const std::string& codec, int64_t raw_us) {
  Kind& k = of(kind);
  auto [it, added] = k.tracks.try_emplace(id);
  it->second.last_raw_us = raw_us;
  it->second.timed = true;
  if (added || it->second.codec != codec) {
    it->second.codec = codec;
    event(TrackEvent::Type::kList, kind, id,
          std::string(kind_name(kind)) + " track " + std::to_string(id) + (added ? " appeared (" : " is now (") + codec + ")");
  }
  if (k.current < 0) k.current = id;
  // The default is track 0 or the lowest id: a lower id seen after the first one is switched to.
  if (!k.chosen && id < k.current && (k.pending < 0 || id < k.pending)) k.pending = id;
}

void TrackSelect::set_config(TrackKind kind, int id, const TrackConfig& config) {
  Kind& k = of(kind);
  Track& t = k.tracks[id];
  const bool size_changed = config.width != t.config.width || config.height != t.config.height;
  t.config = config;
  t.has_config = true;
  if (kind == TrackKind::kVideo && size_changed && config.width > 0) {
    event(TrackEvent::Type::kList, kind, id,
          "video track " + std::to_string(id) + " is " + std::to_string(config.width) + "x" + std::to_string(config.height));
  }
}

const TrackConfig* TrackSelect::config(TrackKind kind, int id) const {
  const Kind& k = of(kind);
  auto it = k.tracks.find(id);
  return it != k.tracks.end() && it->second.has_config ? &it->second.config : nullptr;
}

bool TrackSelect::is_current_or_first(TrackKind kind, int id) {
  Kind& k = of(kind);
  if (k.current < 0) k.current = id;
  return k.current == id;
}

int TrackSelect::default_id(const Kind& k, int except) const {
  for (const auto& [id, t] : k.tracks) {
    if (id != except) return id;  // std::map: ascending ids, so track 0 or the lowest
  }
  return -1;
}

// True when track `id` of `k` has been silent for kGoneUs of media while a packet at raw_us came.
bool TrackSelect::silent(Kind& k, int id, int64_t raw_us) {
  auto it = k.tracks.find(id);
  if (it == k.tracks.end()) return false;
  if (!it->second.timed) {
    // After a reconnect a track's silence is counted from the first packet of any track.
    it->second.last_raw_us = raw_us;
    it->second.timed = true;
  }
  return raw_us - it->second.last_raw_us > kGoneUs;
}

TrackSelect::Verdict TrackSelect::on_packet(TrackKind kind, int id, int64_t raw_us, bool switch_point) {
  Kind& k = of(kind);
  if (k.current < 0) k.current = id;
  const std::string what = std::string(kind_name(kind)) + " track ";
  const std::string silence = " stopped arriving (" + std::to_string(kGoneUs / 1000) +
                              " ms without packets while track " + std::to_string(id) + " goes on)";
  if (id != k.current && silent(k, k.current, raw_us)) {
    // The playing track went away: say so, fall back to the default among the others.
    const int gone = k.current;
    k.tracks.erase(gone);
    k.chosen = false;
    k.pending = default_id(k, -1);
    event(TrackEvent::Type::kGone, kind, gone,
          what + std::to_string(gone) + silence + ": switching to track " + std::to_string(k.pending));
    k.switch_from = gone;
    k.current = k.pending;  // nothing of the gone track plays any more; the new one from its switch point
  } else if (k.pending >= 0 && id != k.pending && k.pending != k.current && silent(k, k.pending, raw_us)) {
    // The chosen track went away before its switch point: the playing one stays.
    const int gone = k.pending;
    k.tracks.erase(gone);
    k.chosen = false;
    k.pending = -1;
    event(TrackEvent::Type::kGone, kind, gone,
          what + std::to_string(gone) + " (chosen)" + silence + ": staying on track " + std::to_string(k.current));
  }
  if (id == k.pending && switch_point) {
    const int from = k.switch_from >= 0 ? k.switch_from : k.current;
    k.current = id;
    k.pending = -1;
    k.switch_from = -1;
    event(TrackEvent::Type::kSwitched, kind, id,
          std::string(kind_name(kind)) + " switched from track " + std::to_string(from) + " to track " + std::to_string(id));
    return Verdict::kSwitch;
  }
  return id == k.current && (k.pending < 0 || k.pending != id) ? Verdict::kPlay : Verdict::kSkip;
}

Status TrackSelect::select(TrackKind kind, int id) {
  Kind& k = of(kind);
  if (!k.tracks.count(id)) {
    std::string ids;
    for (const auto& [tid, t] : k.tracks) ids += (ids.empty() ? "" : ", ") + std::to_string(tid);
    return Status(ErrorCode::kInvalid, std::string("no ") + kind_name(kind) + " track " + std::to_string(id) +
                                           " in the stream (tracks: " + (ids.empty() ? "none" : ids) + ")");
  }
  k.chosen = true;
  k.pending = id == k.current ? -1 : id;
  return Status::Ok();
}

void TrackSelect::restart() {
  for (Kind* k : {&video_, &audio_}) {
    for (auto& [id, t] : k->tracks) t.timed = false;
  }
}

std::vector<TrackInfo> TrackSelect::tracks() const {
  std::vector<TrackInfo> out;
  for (TrackKind kind : {TrackKind::kVideo, TrackKind::kAudio}) {
    const Kind& k = of(kind);
    for (const auto& [id, t] : k.tracks) {
      TrackInfo i;
      i.kind = kind;
      i.id = id;
      i.codec = t.has_config ? t.config.codec : t.codec;
      i.width = t.config.width;
      i.height = t.config.height;
      i.selected = id == k.current;
      i.pending = id == k.pending;
      out.push_back(std::move(i));
    }
  }
  return out;
}

bool TrackSelect::next_event(TrackEvent* out) {
  if (events_.empty()) return false;
  *out = std::move(events_.front());
  events_.pop_front();
  return true;
}

}  // namespace lw::play
