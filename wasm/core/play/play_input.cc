// PlaySession input: FLV bytes -> demuxer -> track configs, the packet store, arrival measurement,
// the continuous internal timeline.
#include <algorithm>
#include <cstdlib>

#include "play/play_state.h"
#include "play/track_config.h"

namespace lw::play {

namespace {
flv::Demuxer::Options demux_options(const PlayConfig& c) {
  flv::Demuxer::Options o;
  o.expect_header = c.expect_flv_header;
  return o;
}
// A timestamp step larger than these (per track) is a restart of the sender's clock, not a gap.
constexpr int64_t kJumpBackUs = 1'000'000;
constexpr int64_t kJumpForwardUs = 10'000'000;
// How much media the store keeps at most, beyond the cache window (memory stays bounded).
constexpr int64_t kStoreMarginUs = 2'000'000;
}  // namespace

void RateMeter::advance(int64_t now_us) {
  if (bucket_start_us_ < 0) bucket_start_us_ = now_us;
  if (now_us < bucket_start_us_) return;
  int64_t steps = (now_us - bucket_start_us_) / 100'000;
  if (steps >= 10) {
    std::fill(std::begin(buckets_), std::end(buckets_), 0);
    bucket_start_us_ += steps * 100'000;
    return;
  }
  while (steps-- > 0) {
    current_ = (current_ + 1) % 10;
    buckets_[current_] = 0;
    bucket_start_us_ += 100'000;
  }
}

void RateMeter::add(int64_t now_us, int64_t amount) {
  advance(now_us);
  buckets_[current_] += amount;
}

int64_t RateMeter::per_second(int64_t now_us) {
  advance(now_us);
  int64_t sum = 0;
  for (int64_t b : buckets_) sum += b;
  return sum;
}

PlaySession::Impl::Impl(const PlayConfig& config) : cfg(config), demux(demux_options(config)), clock(config.output_rate) {
  configure(config);
}

void PlaySession::Impl::configure(const PlayConfig& config) {
  cfg = config;
  cfg.output_rate = std::clamp(cfg.output_rate, 8000, 192000);
  cfg.output_channels = std::clamp(cfg.output_channels, 1, 8);
  cfg.min_cache_ms = std::clamp(cfg.min_cache_ms, 0, 60'000);
  cfg.max_cache_ms = std::clamp(cfg.max_cache_ms, cfg.min_cache_ms, 60'000);
  clock.set_rate(cfg.output_rate);
  if (pcm.rate() > 0) resampler.configure(std::min(1.0, double(cfg.output_rate) / pcm.rate()) * 0.92);
}

void PlaySession::Impl::notify(int32_t code, std::string message) {
  // Bounded: a shell that never drains notices must not make memory grow.
  if (notices.size() >= 256) notices.pop_front();
  notices.push_back({code, std::move(message)});
}

void PlaySession::Impl::raise_loading(const char* why) {
  loading_raised = true;
  notify(kLoading, why);
}

void PlaySession::Impl::feed(ByteSpan flv, int64_t now_us) {
  net_bytes.add(now_us, static_cast<int64_t>(flv.size()));
  demux.feed(flv);
  drain(now_us);
}

void PlaySession::Impl::drain(int64_t now_us) {
  flv::Event ev;
  while (demux.next(&ev)) {
    if (ev.kind == flv::EventKind::kHeader) header_has_video = ev.header.has_video;
    // The first 2007 comes with the first media tag: the gateway sends the FLV header as its socket
    // opens, before its 2001, and the original raises 2007 after connecting.
    if (!loading_raised && (ev.kind == flv::EventKind::kVideo || ev.kind == flv::EventKind::kAudio)) {
      raise_loading("buffering: waiting for media");
    }
    if (ev.kind == flv::EventKind::kVideo) on_video(ev, now_us);
    if (ev.kind == flv::EventKind::kAudio) on_audio(ev, now_us);
  }
  enforce_bounds();
}

int64_t PlaySession::Impl::map_time(int64_t raw_ms, bool video, bool flagged) {
  const int64_t raw_us = raw_ms * 1000;
  bool& have_raw = video ? have_raw_video : have_raw_audio;
  int64_t& last_raw = video ? last_raw_video_us : last_raw_audio_us;
  const bool any_media = have_audio || have_video;
  bool reanchor = false;
  if (restart_pending && any_media) {
    // A new connection: keep its timestamps when they continue ours, re-anchor otherwise (a server
    // that restarts at 0, or a stream that went on while we reconnected).
    const int64_t mapped = raw_us + offset_us;
    reanchor = mapped < newest_us - kJumpBackUs || mapped > newest_us + kJumpForwardUs;
  } else if (have_raw) {
    const int64_t step = raw_us - last_raw;
    reanchor = step < -kJumpBackUs || step > kJumpForwardUs;
    if (flagged && !restart_pending) notify(kDiscontinuity, "timestamps not continuous in the stream");
  }
  if (restart_pending) {
    restart_pending = false;
    have_raw_audio = have_raw_video = false;
  }
  if (reanchor) {
    // Continue right after the newest media: the timeline stays continuous and the clock never jumps.
    offset_us = newest_us + static_cast<int64_t>(video ? video_frame_us : audio_frame_us) - raw_us;
    have_raw_audio = have_raw_video = false;
    estimator.rebase();
  }
  have_raw = true;
  last_raw = raw_us;
  return raw_us + offset_us;
}

void PlaySession::Impl::on_video(const flv::Event& ev, int64_t now_us) {
  const flv::VideoTagHeader& h = ev.video;
  if (h.is_command()) return;
  if (h.is_sequence_header()) {
    TrackConfig c;
    if (!make_video_config(h.codec, ev.payload(), &c)) return;
    if (have_video_cfg && c.description == video_cfg.description) return;  // a repeat (reconnect)
    c.generation = ++video_gen;
    video_cfg = c;
    have_video_cfg = true;
    video_codec = h.codec;
    configs.push_back(c);
    video_wait_key = true;  // a new configuration starts at a key frame
    return;
  }
  if (h.packet_type != flv::VideoPacketType::kCodedFrames && h.packet_type != flv::VideoPacketType::kCodedFramesX) {
    return;
  }
  const int64_t dts_us = map_time(ev.tag.timestamp_ms, true, ev.timestamp_discontinuity);
  const int64_t pts_us = dts_us + static_cast<int64_t>(h.composition_time_ms) * 1000;
  video_bytes.add(now_us, static_cast<int64_t>(ev.tag.body.size()));
  estimator.add(dts_us, now_us, 1);  // video: its own transit baseline
  if (have_video && dts_us > newest_video_dts_us) {
    const double step = static_cast<double>(dts_us - newest_video_dts_us);
    if (step < 1e6) video_frame_us += 0.1 * (step - video_frame_us);
  }
  newest_video_dts_us = have_video ? std::max(newest_video_dts_us, dts_us) : dts_us;
  have_video = true;
  newest_us = std::max(newest_us, dts_us);
  const bool key = h.key_frame();
  if (key) {
    if (!first_key_seen) {
      first_key_seen = true;
      notify(kFirstKeyFrame, "first key frame received");
    }
    if (last_key_dts_us >= 0 && dts_us > last_key_dts_us) gop_s = static_cast<double>(dts_us - last_key_dts_us) / 1e6;
    last_key_dts_us = dts_us;
  }
  if (!have_video_cfg || h.codec != video_codec || !video_enabled || (video_wait_key && !key)) {
    ++dropped_frames;
    return;
  }
  video_wait_key = false;
  StoredPacket p;
  p.key = key;
  p.dts_us = dts_us;
  p.pts_us = pts_us;
  p.generation = video_gen;
  if (!video_q.push(p, ev.payload())) ++dropped_frames;
}

void PlaySession::Impl::on_audio(const flv::Event& ev, int64_t now_us) {
  const flv::AudioTagHeader& h = ev.audio;
  // A codec the player does not play (Nellymoser, Speex, ADPCM, FLAC, ...) is said once (2102, naming
  // it) and never decoded as something else; the stream then plays as one without audio.
  const auto refuse = [&] {
    const std::string name = unsupported_audio_name(h);
    if (name == unsupported_audio) return;
    unsupported_audio = name;
    notify(kAudioDecodeFail, "audio codec " + name + " is not supported: playing without sound");
  };
  if (!audio_config_in_sequence_header(h.codec) && h.packet_type == flv::AudioPacketType::kCodedFrames) {
    // G.711, PCM, MP3: no sequence header; each frame's tag header (and MP3's own) configures.
    TrackConfig c;
    if (!make_audio_config_from_frame(h, ev.payload(), &c)) return refuse();
    unsupported_audio.clear();
    if (!have_audio_cfg || h.codec != audio_codec || c.decoder != audio_cfg.decoder ||
        c.sample_rate != audio_cfg.sample_rate || c.channels != audio_cfg.channels) {
      c.generation = ++audio_gen;
      audio_cfg = c;
      have_audio_cfg = true;
      audio_codec = h.codec;
      configs.push_back(c);
    }
  } else if (h.is_sequence_header()) {
    TrackConfig c;
    if (!make_audio_config(h.codec, ev.payload(), &c)) {
      if (!flv::is_supported(h.codec)) refuse();
      return;
    }
    unsupported_audio.clear();
    if (have_audio_cfg && c.description == audio_cfg.description) return;
    c.generation = ++audio_gen;
    audio_cfg = c;
    have_audio_cfg = true;
    audio_codec = h.codec;
    configs.push_back(c);
    return;
  }
  if (h.packet_type != flv::AudioPacketType::kCodedFrames) return;
  if (!flv::is_supported(h.codec)) return refuse();
  const int64_t pts_us = map_time(ev.tag.timestamp_ms, false, ev.timestamp_discontinuity);
  audio_bytes.add(now_us, static_cast<int64_t>(ev.tag.body.size()));
  estimator.add(pts_us, now_us);
  if (have_audio && pts_us > newest_audio_us && pts_us - newest_audio_us < 200'000) {
    audio_frame_us = pts_us - newest_audio_us;
  }
  if (!have_audio) first_audio_us = pts_us;
  newest_audio_us = have_audio ? std::max(newest_audio_us, pts_us) : pts_us;
  have_audio = true;
  newest_us = std::max(newest_us, pts_us);
  if (!have_audio_cfg || h.codec != audio_codec) return;
  StoredPacket p;
  p.key = true;
  p.dts_us = p.pts_us = pts_us;
  p.generation = audio_gen;
  audio_q.push(p, ev.payload());
}

void PlaySession::Impl::enforce_bounds() {
  // Media older than the cache window plus a margin is of no use to a live player: drop from the
  // front up to a key frame (a paused player or a shell that stopped pulling must not grow memory).
  const int64_t keep_us = std::max<int64_t>(cfg.max_cache_ms * 1000LL, 10'000'000) + kStoreMarginUs;
  while (!video_q.empty() && (video_q.back().dts_us - video_q.front().dts_us > keep_us ||
                              video_q.bytes() > video_q.max_bytes() / 2)) {
    drop_video_front();
    while (!video_q.empty() && !video_q.front().key) drop_video_front();
  }
  while (!audio_q.empty() && (audio_q.back().dts_us - audio_q.front().dts_us > keep_us ||
                              audio_q.bytes() > audio_q.max_bytes() / 2)) {
    audio_q.pop_front();
  }
}

void PlaySession::Impl::end_of_input(int64_t now_us) {
  demux.finish();
  drain(now_us);
  ended = true;
}

void PlaySession::Impl::restart_input(int64_t now_us) {
  (void)now_us;
  demux = flv::Demuxer(demux_options(cfg));
  restart_pending = true;
  ended = false;
  first_key_seen = false;
}

void PlaySession::Impl::note_source_drop(int64_t now_us, int64_t video_frames) {
  (void)now_us;
  if (video_frames > 0) dropped_frames += video_frames;
  notify(kDiscontinuity, "the source dropped frames" +
                             (video_frames > 0 ? ": " + std::to_string(video_frames) + " video frames" : std::string()));
}

bool PlaySession::Impl::next_notice(Notice* out) {
  if (notices.empty()) return false;
  *out = std::move(notices.front());
  notices.pop_front();
  return true;
}

bool PlaySession::Impl::next_track_config(TrackConfig* out) {
  if (configs.empty()) return false;
  *out = std::move(configs.front());
  configs.pop_front();
  return true;
}

bool PlaySession::Impl::next_audio_packet(MediaPacket* out) {
  if (audio_q.empty()) return false;
  const StoredPacket& p = audio_q.front();
  out->kind = TrackKind::kAudio;
  out->key = true;
  out->dts_us = p.dts_us;
  out->pts_us = p.pts_us;
  out->generation = p.generation;
  out->data = audio_q.data(p);  // stays valid until the next push (feed), as documented
  audio_q.pop_front();
  return true;
}

void PlaySession::Impl::push_audio(int64_t pts_us, const float* planar, int32_t frames, int32_t channels,
                                   int32_t rate) {
  if (frames <= 0 || channels <= 0 || rate <= 0 || planar == nullptr) return;
  const int32_t old_rate = pcm.rate();
  pcm.push(pts_us, planar, frames, channels, rate);
  if (pcm.rate() != old_rate && pcm.rate() > 0) {
    resampler.configure(std::min(1.0, double(cfg.output_rate) / pcm.rate()) * 0.92);
  }
  pcm_pushed = true;
  if (started && !playing && first_pcm_pts_after_stall < 0) first_pcm_pts_after_stall = pts_us;
}

void PlaySession::Impl::report_decode_error(TrackKind kind, int64_t now_us, const std::string& reason) {
  (void)now_us;
  if (kind == TrackKind::kVideo) {
    notify(kVideoDecodeFail, "video decoding failed: " + reason);
    while (!video_q.empty() && !video_q.front().key) drop_video_front();
    video_wait_key = video_q.empty();  // the decoder resumes at the next key frame
    drop_window_start_us = -1;         // those drops are 2101's, not a stutter (check_drops)
  } else {
    notify(kAudioDecodeFail, "audio decoding failed: " + reason);
  }
}

DecoderVerdict PlaySession::Impl::report_browser_decoder_failure(TrackKind kind, int64_t now_us, bool refused,
                                                                 const std::string& reason) {
  const bool video = kind == TrackKind::kVideo;
  DecoderFallback& f = video ? video_fallback : audio_fallback;
  const DecoderVerdict v = f.on_failure(refused);
  if (video && v == DecoderVerdict::kFallBack) {
    notify(kSoftwareDecoding, reason + "; software decoding (FFmpeg in wasm) from the next key frame");
  } else {
    report_decode_error(kind, now_us, reason);  // 2101 (video: from the next key frame) / 2102 (audio)
  }
  return v;
}

}  // namespace lw::play
