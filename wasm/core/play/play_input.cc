// PlaySession input: FLV bytes -> demuxer -> track configs, the packet store, arrival measurement,
// the continuous internal timeline.
#include "play/play_input.h"

#include <algorithm>
#include <cstdlib>

#include "play/track_config.h"

namespace lw::play {

namespace {
flv::Demuxer::Options demux_options(const PlayConfig& c) {
  flv::Demuxer::Options o;
  o.expect_header = c.expect_flv_header;
  o.split_tracks = true;  // Enhanced RTMP v2 Multitrack: one event per track, TrackSelect picks
  return o;
}
// A timestamp step larger than these (per track) is a restart of the sender's clock, not a gap.
constexpr int64_t kJumpBackUs = 1'000'000;
constexpr int64_t kJumpForwardUs = 10'000'000;
// How much media the store keeps at most, beyond the cache window (memory stays bounded).
constexpr int64_t kStoreMarginUs = 2'000'000;
}  // namespace

PlayInput::PlayInput(const PlayConfig& config, MediaStore& store, NoticeQueue& notices, PlayStats& stats)
    : cfg_(config), store_(store), notices_(notices), stats_(stats), demux_(demux_options(config)) {}

void PlayInput::raise_loading(const char* why) {
  loading_raised_ = true;
  notices_.notify(kLoading, why);
}

void PlayInput::feed(ByteSpan flv, int64_t now_us) {
  stats_.on_net_bytes(now_us, flv.size());
  demux_.feed(flv);
  drain(now_us);
}

void PlayInput::drain(int64_t now_us) {
  flv::Event ev;
  while (demux_.next(&ev)) {
    if (ev.kind == flv::EventKind::kHeader) header_has_video_ = ev.header.has_video;
    // The first 2007 comes with the first media tag: the gateway sends the FLV header as its socket
    // opens, before its 2001, and the original raises 2007 after connecting.
    if (!loading_raised_ && (ev.kind == flv::EventKind::kVideo || ev.kind == flv::EventKind::kAudio)) {
      raise_loading("buffering: waiting for media");
    }
    if (ev.kind == flv::EventKind::kVideo) on_video(ev, now_us);
    if (ev.kind == flv::EventKind::kAudio) on_audio(ev, now_us);
  }
  store_.enforce_bounds(std::max<int64_t>(cfg_.max_cache_ms * 1000LL, 10'000'000) + kStoreMarginUs);
}

int64_t PlayInput::map_time(int64_t raw_ms, bool video, bool flagged) {
  const int64_t raw_us = raw_ms * 1000;
  bool& have_raw = video ? have_raw_video_ : have_raw_audio_;
  int64_t& last_raw = video ? last_raw_video_us_ : last_raw_audio_us_;
  const bool any_media = have_audio_ || have_video_;
  bool reanchor = false;
  if (restart_pending_ && any_media) {
    // A new connection: keep its timestamps when they continue ours, re-anchor otherwise (a server
    // that restarts at 0, or a stream that went on while we reconnected).
    const int64_t mapped = raw_us + offset_us_;
    reanchor = mapped < newest_us_ - kJumpBackUs || mapped > newest_us_ + kJumpForwardUs;
  } else if (have_raw) {
    const int64_t step = raw_us - last_raw;
    reanchor = step < -kJumpBackUs || step > kJumpForwardUs;
    if (flagged && !restart_pending_) notices_.notify(kDiscontinuity, "timestamps not continuous in the stream");
  }
  if (restart_pending_) {
    restart_pending_ = false;
    have_raw_audio_ = have_raw_video_ = false;
  }
  if (reanchor) {
    // Continue right after the newest media: the timeline stays continuous and the clock never jumps.
    offset_us_ = newest_us_ + static_cast<int64_t>(video ? video_frame_us_ : audio_frame_us_) - raw_us;
    have_raw_audio_ = have_raw_video_ = false;
    estimator_.rebase();
  }
  have_raw = true;
  last_raw = raw_us;
  return raw_us + offset_us_;
}

// A video codec the player does not play (Sorenson H.263, VP6, Screen Video, VP8, VVC, an unknown FourCC)
// is said once (2101, naming it) and its frames are not taken as video at all: the stream plays as one
// without pictures (its sound begins it, 2004).
void PlayInput::refuse_video(const flv::VideoTagHeader& h) {
  std::string name = unsupported_video_name(h);
  if (name == unsupported_video_) return;
  notices_.notify(kVideoDecodeFail, "video codec " + name + " is not supported: playing without pictures");
  unsupported_video_ = std::move(name);
}

void PlayInput::use_video_config(const TrackConfig& config, flv::VideoCodec codec) {
  TrackConfig c = config;
  c.generation = ++video_gen_;
  video_cfg_ = c;
  have_video_cfg_ = true;
  video_codec_ = codec;
  configs_.push_back(c);
  store_.wait_for_video_key();  // a new configuration starts at a key frame
}

void PlayInput::on_video(const flv::Event& ev, int64_t now_us) {
  const flv::VideoTagHeader& h = ev.video;
  if (h.is_command()) return;
  const int id = h.track_id;
  const int64_t raw_us = int64_t(ev.tag.timestamp_ms) * 1000;
  select_.seen(TrackKind::kVideo, id, std::string(flv::video_codec_name(h.codec)), raw_us);
  if (!flv::is_supported(h.codec)) {
    if (select_.is_current_or_first(TrackKind::kVideo, id)) refuse_video(h);
    return;
  }
  if (h.is_sequence_header()) {
    TrackConfig c;
    if (!make_video_config(h.codec, ev.payload(), &c)) return;
    select_.set_config(TrackKind::kVideo, id, c);
    if (!select_.is_current_or_first(TrackKind::kVideo, id)) return;  // kept for a switch to it
    unsupported_video_.clear();
    if (have_video_cfg_ && c.description == video_cfg_.description) return;  // a repeat (reconnect)
    use_video_config(c, h.codec);
    return;
  }
  if (h.packet_type != flv::VideoPacketType::kCodedFrames && h.packet_type != flv::VideoPacketType::kCodedFramesX) {
    return;
  }
  const TrackConfig* track_cfg = select_.config(TrackKind::kVideo, id);
  const auto verdict = select_.on_packet(TrackKind::kVideo, id, raw_us, h.key_frame() && track_cfg != nullptr);
  if (verdict == TrackSelect::Verdict::kSkip) return;
  if (verdict == TrackSelect::Verdict::kSwitch) {
    // Seamless: the old track played up to here. A packet of it at this time or later (the same
    // Multitrack tag) gives way to the new track's key frame.
    store_.drop_back_from(TrackKind::kVideo, map_time(ev.tag.timestamp_ms, true, false));
    if (!have_video_cfg_ || track_cfg->description != video_cfg_.description) use_video_config(*track_cfg, h.codec);
  }
  const int64_t dts_us = map_time(ev.tag.timestamp_ms, true, ev.timestamp_discontinuity);
  const int64_t pts_us = dts_us + static_cast<int64_t>(h.composition_time_ms) * 1000;
  stats_.on_video_bytes(now_us, ev.tag.body.size());
  estimator_.add(dts_us, now_us, 1);  // video: its own transit baseline
  if (have_video_ && dts_us > newest_video_dts_us_) {
    const double step = static_cast<double>(dts_us - newest_video_dts_us_);
    if (step < 1e6) video_frame_us_ += 0.1 * (step - video_frame_us_);
  }
  newest_video_dts_us_ = have_video_ ? std::max(newest_video_dts_us_, dts_us) : dts_us;
  have_video_ = true;
  newest_us_ = std::max(newest_us_, dts_us);
  const bool key = h.key_frame();
  if (key) {
    if (!first_key_seen_) {
      first_key_seen_ = true;
      notices_.notify(kFirstKeyFrame, "first key frame received");
    }
    if (last_key_dts_us_ >= 0 && dts_us > last_key_dts_us_) {
      gop_s_ = static_cast<double>(dts_us - last_key_dts_us_) / 1e6;
    }
    last_key_dts_us_ = dts_us;
  }
  StoredPacket p;
  p.key = key;
  p.dts_us = dts_us;
  p.pts_us = pts_us;
  p.generation = video_gen_;
  store_.offer_video(p, ev.payload(), have_video_cfg_ && h.codec == video_codec_);
}

void PlayInput::use_audio_config(const TrackConfig& config, flv::AudioCodec codec) {
  TrackConfig c = config;
  c.generation = ++audio_gen_;
  audio_cfg_ = c;
  have_audio_cfg_ = true;
  audio_codec_ = codec;
  configs_.push_back(c);
}

void PlayInput::on_audio(const flv::Event& ev, int64_t now_us) {
  const flv::AudioTagHeader& h = ev.audio;
  const int id = h.track_id;
  const int64_t raw_us = int64_t(ev.tag.timestamp_ms) * 1000;
  select_.seen(TrackKind::kAudio, id, std::string(flv::audio_codec_name(h.codec)), raw_us);
  // A codec the player does not play (Nellymoser, Speex, ADPCM, FLAC, ...) is said once (2102, naming
  // it) and never decoded as something else; the stream then plays as one without audio.
  const auto refuse = [&] {
    if (!select_.is_current_or_first(TrackKind::kAudio, id)) return;
    const std::string name = unsupported_audio_name(h);
    if (name == unsupported_audio_) return;
    unsupported_audio_ = name;
    notices_.notify(kAudioDecodeFail, "audio codec " + name + " is not supported: playing without sound");
  };
  if (!audio_config_in_sequence_header(h.codec) && h.packet_type == flv::AudioPacketType::kCodedFrames) {
    // G.711, PCM, MP3: no sequence header; each frame's tag header (and MP3's own) configures.
    TrackConfig c;
    if (!make_audio_config_from_frame(h, ev.payload(), &c)) return refuse();
    const TrackConfig* known = select_.config(TrackKind::kAudio, id);
    if (!known || known->decoder != c.decoder || known->sample_rate != c.sample_rate || known->channels != c.channels) {
      select_.set_config(TrackKind::kAudio, id, c);
    }
  } else if (h.is_sequence_header()) {
    TrackConfig c;
    if (!make_audio_config(h.codec, ev.payload(), &c)) {
      if (!flv::is_supported(h.codec)) refuse();
      return;
    }
    select_.set_config(TrackKind::kAudio, id, c);
    if (!select_.is_current_or_first(TrackKind::kAudio, id)) return;
    unsupported_audio_.clear();
    if (have_audio_cfg_ && c.description == audio_cfg_.description) return;
    use_audio_config(c, h.codec);
    return;
  }
  if (h.packet_type != flv::AudioPacketType::kCodedFrames) return;
  if (!flv::is_supported(h.codec)) return refuse();
  const TrackConfig* track_cfg = select_.config(TrackKind::kAudio, id);
  const auto verdict = select_.on_packet(TrackKind::kAudio, id, raw_us, track_cfg != nullptr);
  if (verdict == TrackSelect::Verdict::kSkip) return;
  if (verdict == TrackSelect::Verdict::kSwitch) {
    store_.drop_back_from(TrackKind::kAudio, map_time(ev.tag.timestamp_ms, false, false));
    use_audio_config(*track_cfg, h.codec);
  } else if (!audio_config_in_sequence_header(h.codec) && track_cfg) {
    // Frame-configured codecs: a change of the playing track's format is a new configuration.
    if (!have_audio_cfg_ || h.codec != audio_codec_ || track_cfg->decoder != audio_cfg_.decoder ||
        track_cfg->sample_rate != audio_cfg_.sample_rate || track_cfg->channels != audio_cfg_.channels) {
      unsupported_audio_.clear();
      use_audio_config(*track_cfg, h.codec);
    }
  }
  const int64_t pts_us = map_time(ev.tag.timestamp_ms, false, ev.timestamp_discontinuity);
  stats_.on_audio_bytes(now_us, ev.tag.body.size());
  estimator_.add(pts_us, now_us);
  if (have_audio_ && pts_us > newest_audio_us_ && pts_us - newest_audio_us_ < 200'000) {
    audio_frame_us_ = pts_us - newest_audio_us_;
  }
  if (!have_audio_) first_audio_us_ = pts_us;
  newest_audio_us_ = have_audio_ ? std::max(newest_audio_us_, pts_us) : pts_us;
  have_audio_ = true;
  newest_us_ = std::max(newest_us_, pts_us);
  if (!have_audio_cfg_ || h.codec != audio_codec_) return;
  StoredPacket p;
  p.key = true;
  p.dts_us = p.pts_us = pts_us;
  p.generation = audio_gen_;
  store_.store_audio(p, ev.payload());
}

void PlayInput::end_of_input(int64_t now_us) {
  demux_.finish();
  drain(now_us);
  ended_ = true;
}

void PlayInput::restart() {
  demux_ = flv::Demuxer(demux_options(cfg_));
  restart_pending_ = true;
  select_.restart();
  ended_ = false;
  first_key_seen_ = false;
}

bool PlayInput::next_track_config(TrackConfig* out) {
  if (configs_.empty()) return false;
  *out = std::move(configs_.front());
  configs_.pop_front();
  return true;
}

}  // namespace lw::play
