// A simulated live stream for the player core's tests: a sender making 30 fps video (a key frame
// every `gop_frames`) and 1024-sample AAC-like audio as FLV (flv::Muxer), a network with delay,
// jitter, stalls, a start burst (the server's buffered GOP sent at once) and sender/receiver clock
// drift, and a receiver loop that drives a PlaySession every 10 ms like the worker does (feed,
// decode at once, push fake PCM, render 10 ms, report the played position, pull and show video).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "codec_vectors.h"
#include "flv/flv_muxer.h"
#include "flv/flv_tag_header.h"
#include "play/play_session.h"

namespace lw::play::test {

struct Stall {
  int64_t start_us;     // receiver time when the network stops delivering
  int64_t duration_us;  // everything queued arrives at once afterwards
};

struct TraceConfig {
  PlayConfig play;
  bool audio = true, video = true;
  int gop_frames = 60;
  int audio_rate = 44100;
  int64_t base_delay_us = 30'000;
  int64_t jitter_us = 0;            // uniform extra delay 0..jitter_us per packet (in order, as TCP)
  int64_t jitter_period_us = 0;     // >0: jitter only in the first half of each period
  int64_t burst_us = 0;             // media already buffered at the server, sent at once at the start
  double drift = 0;                 // sender clock rate - 1 (0.001: sender 0.1 % fast)
  std::vector<Stall> stalls;
  int64_t audio_gap_at_us = -1;     // media time where the sender leaves out audio
  int64_t audio_gap_us = 0;
  int64_t ts_restart_at_us = -1;    // receiver time of a reconnect: FLV timestamps restart at 0
  int64_t device_latency_frames = 960;
  int64_t present_period_us = 0;    // >0: pictures are presented at most this often (a slow renderer)
  uint32_t seed = 1;
  // Enhanced RTMP v2 Multitrack: this many video / audio tracks (ids 0, 1, ...) in ManyTracks tags
  // (one OneTrack tag per track where key flags differ). Video track t is 360p for t == 0, 720p
  // otherwise, its key frames `t * track_key_shift` frames after track 0's; every packet's bytes name
  // its track (MediaTrace::decoded_tracks). A track stops at media time track_stop_us[t] (-1: never).
  int video_tracks = 0, audio_tracks = 0;  // 0: a plain (non-multitrack) stream
  int track_key_shift = 0;
  std::vector<int64_t> track_stop_us;
};

// A packet handed out for decoding, with the track its bytes came from.
struct DecodedPacket {
  TrackKind kind;
  int64_t pts_us;
  int track;
  uint32_t generation;
  bool key;
};

struct Sample {
  int64_t now_us;
  int64_t media_us;     // heard now
  int64_t newest_us;    // newest media time received (sender's)
  int64_t shown_pts;    // pts of the frame on screen (-1: none)
};

class TraceRun {
 public:
  explicit TraceRun(const TraceConfig& c) : c_(c), session_(c.play), rng_(c.seed) {
    out_.resize(static_cast<size_t>(c.play.output_rate / 100) * c.play.output_channels);
    pcm_.resize(1024 * 2);
  }

  PlaySession& session() { return session_; }
  std::vector<Notice>& notices() { return notices_; }
  std::vector<int64_t>& notice_times() { return notice_times_; }
  int64_t max_stored_bytes() const { return max_stored_; }
  int64_t max_sync_error_us() const { return max_sync_; }
  int64_t shown() const { return shown_; }
  void reset_sync() { max_sync_ = 0; }

  // Runs until receiver time `end_us`; `each` sees a sample every tick after playback began.
  void run_until(int64_t end_us, const std::function<void(const Sample&)>& each = {}) {
    while (now_ < end_us) {
      produce_until(now_ + 200'000);
      deliver();
      tick(each);
      now_ += 10'000;
    }
  }

  int64_t now() const { return now_; }
  const std::vector<DecodedPacket>& decoded_packets() const { return decoded_packets_; }
  const std::vector<TrackConfig>& configs() const { return configs_; }
  std::vector<TrackEvent>& track_events() { return track_events_; }
  // Sender's media time, i.e. the newest the receiver could have.
  int64_t newest_received_us() const { return newest_received_; }

 private:
  struct Packet {
    int64_t arrival_us;
    int64_t media_us;  // sender timeline (continuous), for measurements
    Bytes bytes;
  };

  // Receiver time at which the sender emits media time m (drift: the sender's clock runs 1 + drift).
  int64_t send_time(int64_t m) const {
    const double t = static_cast<double>(m) / (1.0 + c_.drift) - static_cast<double>(c_.burst_us);
    return std::max<int64_t>(0, static_cast<int64_t>(t));
  }

  void emit(int64_t media_us, Bytes bytes) {
    int64_t t = send_time(media_us) + c_.base_delay_us;
    if (c_.jitter_us > 0) {
      const bool on = c_.jitter_period_us <= 0 || (t % c_.jitter_period_us) < c_.jitter_period_us / 2;
      if (on) t += static_cast<int64_t>(std::uniform_real_distribution<double>(0, double(c_.jitter_us))(rng_));
    }
    for (const Stall& s : c_.stalls) {
      if (t >= s.start_us && t < s.start_us + s.duration_us) t = s.start_us + s.duration_us;
    }
    t = std::max(t, last_arrival_);  // in order, as TCP delivers
    last_arrival_ = t;
    queue_.push_back({t, media_us, std::move(bytes)});
  }

  void start_connection(int64_t media_us) {
    Bytes b;
    mux_ = flv::Muxer();
    mux_.write_header(c_.audio, c_.video, b);
    const uint32_t ts = ts_ms(media_us);
    if (c_.video_tracks > 0 || c_.audio_tracks > 0) {
      write_multitrack_heads(ts, b);
    } else {
      if (c_.video) (void)mux_.write_avc_sequence_header(ts, lw::test::from_hex(codec::test_vectors::kBaseline360Avcc), b);
      if (c_.audio) (void)mux_.write_aac_sequence_header(ts, lw::test::from_hex("1210"), b);
    }
    emit(media_us, std::move(b));
  }

  bool track_live(int t, int64_t m) const {
    return t >= static_cast<int>(c_.track_stop_us.size()) || c_.track_stop_us[t] < 0 || m < c_.track_stop_us[t];
  }

  void write_multitrack_heads(uint32_t ts, Bytes& b) {
    configs_hex_[0] = lw::test::from_hex(codec::test_vectors::kBaseline360Avcc);
    configs_hex_[1] = lw::test::from_hex(codec::test_vectors::kHigh720Avcc);
    std::vector<flv::VideoTrackPacket> v;
    for (int t = 0; t < c_.video_tracks; ++t) v.push_back({uint8_t(t), flv::VideoCodec::kAvc, 0, as_span(configs_hex_[t ? 1 : 0])});
    flv::VideoTagHeader vh;
    vh.packet_type = flv::VideoPacketType::kSequenceStart;
    vh.multitrack_type = v.size() > 1 ? flv::MultitrackType::kManyTracks : flv::MultitrackType::kOneTrack;
    if (!v.empty()) (void)mux_.write_multitrack_video(vh, ts, v, b);
    // Track t's AudioSpecificConfig: AAC-LC 44.1 kHz, mono for track 1 (so the configurations differ).
    aac_configs_[0] = lw::test::from_hex("1210");
    aac_configs_[1] = lw::test::from_hex("1208");
    std::vector<flv::AudioTrackPacket> a;
    for (int t = 0; t < c_.audio_tracks; ++t) a.push_back({uint8_t(t), flv::AudioCodec::kAac, as_span(aac_configs_[t ? 1 : 0])});
    flv::AudioTagHeader ah;
    ah.packet_type = flv::AudioPacketType::kSequenceStart;
    ah.multitrack_type = a.size() > 1 ? flv::MultitrackType::kManyTracks : flv::MultitrackType::kOneTrack;
    if (!a.empty()) (void)mux_.write_multitrack_audio(ah, ts, a, b);
  }

  void write_multitrack_video(int64_t m, Bytes& b) {
    std::vector<Bytes> nals;
    std::vector<flv::VideoTrackPacket> packets;
    std::vector<bool> keys;
    for (int t = 0; t < c_.video_tracks; ++t) {
      if (!track_live(t, m)) continue;
      const bool key = (video_index_ + c_.gop_frames - t * c_.track_key_shift % c_.gop_frames) % c_.gop_frames == 0;
      Bytes nal(key ? 4000 : 800, 0);
      nal[3] = static_cast<uint8_t>(nal.size() - 4);
      nal[4] = key ? 0x65 : 0x41;
      nal[5] = static_cast<uint8_t>(t);  // names the track
      nals.push_back(std::move(nal));
      keys.push_back(key);
      packets.push_back({uint8_t(t), flv::VideoCodec::kAvc, 0, {}});
    }
    for (size_t i = 0; i < packets.size(); ++i) packets[i].data = as_span(nals[i]);
    bool together = packets.size() > 1;
    for (bool k : keys) together = together && k == keys.front();
    flv::VideoTagHeader h;
    h.packet_type = flv::VideoPacketType::kCodedFrames;
    if (together) {
      h.frame_type = keys.front() ? flv::VideoFrameType::kKey : flv::VideoFrameType::kInter;
      h.multitrack_type = flv::MultitrackType::kManyTracks;
      (void)mux_.write_multitrack_video(h, ts_ms(m), packets, b);
      return;
    }
    h.multitrack_type = flv::MultitrackType::kOneTrack;
    for (size_t i = 0; i < packets.size(); ++i) {
      h.frame_type = keys[i] ? flv::VideoFrameType::kKey : flv::VideoFrameType::kInter;
      (void)mux_.write_multitrack_video(h, ts_ms(m), std::span<const flv::VideoTrackPacket>(&packets[i], 1), b);
    }
  }

  void write_multitrack_audio(int64_t m, Bytes& b) {
    std::vector<Bytes> frames;
    std::vector<flv::AudioTrackPacket> packets;
    for (int t = 0; t < c_.audio_tracks; ++t) {
      if (!track_live(t, m)) continue;
      Bytes frame(200, 0x21);
      frame[0] = static_cast<uint8_t>(t);  // names the track
      frames.push_back(std::move(frame));
      packets.push_back({uint8_t(t), flv::AudioCodec::kAac, {}});
    }
    if (packets.empty()) return;
    for (size_t i = 0; i < packets.size(); ++i) packets[i].data = as_span(frames[i]);
    flv::AudioTagHeader h;
    h.packet_type = flv::AudioPacketType::kCodedFrames;
    h.multitrack_type = packets.size() > 1 ? flv::MultitrackType::kManyTracks : flv::MultitrackType::kOneTrack;
    (void)mux_.write_multitrack_audio(h, ts_ms(m), packets, b);
  }

  uint32_t ts_ms(int64_t media_us) const { return static_cast<uint32_t>((media_us - ts_base_us_) / 1000); }

  void produce_until(int64_t until_us) {
    if (!started_) {
      start_connection(0);
      started_ = true;
    }
    while (true) {
      const int64_t v_us = video_index_ * 1'000'000 / 30;
      const int64_t a_us = audio_index_ * 1024 * 1'000'000 / c_.audio_rate;
      const int64_t m = std::min(c_.video ? v_us : INT64_MAX, c_.audio ? a_us : INT64_MAX);
      if (send_time(m) > until_us) break;
      if (c_.ts_restart_at_us >= 0 && !restarted_ && send_time(m) >= c_.ts_restart_at_us) {
        restarted_ = true;
        restart_media_us_ = m;
        ts_base_us_ = m;  // the new connection's timestamps start at 0
        start_connection(m);
      }
      Bytes b;
      if (c_.video && v_us == m && c_.video_tracks > 0) {
        write_multitrack_video(m, b);
        ++video_index_;
      } else if (!(c_.video && v_us == m) && c_.audio_tracks > 0) {
        write_multitrack_audio(m, b);
        ++audio_index_;
      } else if (c_.video && v_us == m) {
        const bool key = video_index_ % c_.gop_frames == 0;
        Bytes nal(key ? 4000 : 800, 0);
        nal[3] = static_cast<uint8_t>(nal.size() - 4);
        nal[4] = key ? 0x65 : 0x41;
        (void)mux_.write_avc_frame(ts_ms(m), 0, key, as_span(nal), b);
        ++video_index_;
      } else {
        const bool gap = c_.audio_gap_at_us >= 0 && m >= c_.audio_gap_at_us && m < c_.audio_gap_at_us + c_.audio_gap_us;
        if (!gap) {
          Bytes frame(200, 0x21);
          (void)mux_.write_aac_frame(ts_ms(m), as_span(frame), b);
        }
        ++audio_index_;
      }
      if (!b.empty()) emit(m, std::move(b));
    }
  }

  void deliver() {
    size_t i = 0;
    for (; i < queue_.size() && queue_[i].arrival_us <= now_; ++i) {
      if (c_.ts_restart_at_us >= 0 && restarted_ && !told_restart_ && queue_[i].media_us >= restart_media_us_) {
        told_restart_ = true;
        session_.restart_input(now_);
      }
      session_.feed(as_span(queue_[i].bytes), now_);
      newest_received_ = std::max(newest_received_, queue_[i].media_us);
    }
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(i));
  }

  void tick(const std::function<void(const Sample&)>& each) {
    Notice n;
    while (session_.next_notice(&n)) {
      notices_.push_back(n);
      notice_times_.push_back(now_);
    }
    TrackConfig tc;
    while (session_.next_track_config(&tc)) configs_.push_back(tc);
    TrackEvent te;
    while (session_.next_track_event(&te)) track_events_.push_back(te);
    MediaPacket p;
    while (session_.next_audio_packet(&p)) {
      decoded_packets_.push_back({TrackKind::kAudio, p.pts_us, p.data.empty() ? -1 : int(p.data[0]), p.generation, true});
      // "Decode": a 440 Hz tone at the packet's time.
      for (int f = 0; f < 1024; ++f) {
        const double t = static_cast<double>(p.pts_us) / 1e6 + f / double(c_.audio_rate);
        pcm_[f] = pcm_[1024 + f] = static_cast<float>(0.5 * std::sin(2 * 3.14159265358979 * 440 * t));
      }
      session_.push_audio(p.pts_us, pcm_.data(), 1024, 2, c_.audio_rate);
    }
    const int32_t frames = c_.play.output_rate / 100;
    session_.render_audio(now_, out_.data(), frames);
    rendered_ += frames;
    session_.set_played_frames(std::max<int64_t>(0, rendered_ - c_.device_latency_frames), now_);
    while (session_.next_video_packet(now_, &p)) {
      decoded_.push_back(p.pts_us);
      decoded_packets_.push_back({TrackKind::kVideo, p.pts_us, p.data.size() > 5 ? int(p.data[5]) : -1, p.generation, p.key});
    }
    std::sort(decoded_.begin(), decoded_.end());
    const bool refresh = c_.present_period_us <= 0 || now_ - last_present_ >= c_.present_period_us;
    if (refresh) last_present_ = now_;
    while (refresh && !decoded_.empty()) {
      const FrameAction a = session_.frame_action(decoded_.front(), now_);
      if (a == FrameAction::kWait) break;
      if (a == FrameAction::kDrop ||
          (decoded_.size() > 1 && session_.frame_action(decoded_[1], now_) == FrameAction::kShow)) {
        session_.frame_dropped(decoded_.front());
        decoded_.erase(decoded_.begin());
        continue;
      }
      shown_pts_ = decoded_.front();
      session_.frame_shown(shown_pts_, now_);
      ++shown_;
      decoded_.erase(decoded_.begin());
      break;
    }
    max_stored_ = std::max<int64_t>(max_stored_, static_cast<int64_t>(session_.stored_bytes()));
    const int64_t media = session_.media_time_us(now_);
    if (media >= 0 && shown_pts_ >= 0 && c_.video) {
      max_sync_ = std::max(max_sync_, std::abs(shown_pts_ - media));
    }
    if (each && media >= 0) each({now_, media, newest_received_, shown_pts_});
  }

  TraceConfig c_;
  int64_t last_present_ = -1'000'000'000;
  PlaySession session_;
  std::mt19937 rng_;
  flv::Muxer mux_;
  std::vector<Packet> queue_;
  std::vector<float> out_, pcm_;
  std::vector<int64_t> decoded_;
  std::vector<Notice> notices_;
  std::vector<int64_t> notice_times_;
  std::vector<DecodedPacket> decoded_packets_;
  std::vector<TrackConfig> configs_;
  std::vector<TrackEvent> track_events_;
  Bytes configs_hex_[2], aac_configs_[2];
  int64_t now_ = 0, last_arrival_ = 0, rendered_ = 0;
  int64_t video_index_ = 0, audio_index_ = 0;
  int64_t newest_received_ = 0, shown_pts_ = -1, shown_ = 0;
  int64_t max_stored_ = 0, max_sync_ = 0;
  int64_t ts_base_us_ = 0, restart_media_us_ = 0;
  bool started_ = false, restarted_ = false, told_restart_ = false;
};

inline int count_code(const std::vector<Notice>& n, int32_t code) {
  return static_cast<int>(std::count_if(n.begin(), n.end(), [&](const Notice& x) { return x.code == code; }));
}

}  // namespace lw::play::test
