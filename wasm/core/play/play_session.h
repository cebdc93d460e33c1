// The player's core, sans-IO: FLV bytes in, decode work and audio/video timing out. One PlaySession per
// <live-player>. The worker (worker/player_worker.js) is a shell around it: it feeds the bytes that a
// socket or a fetch stream delivers, hands encoded packets to a decoder (WebCodecs or FFmpeg in wasm,
// wasm/codecs/), gives decoded audio back as PCM, pulls output audio for the AudioWorklet and asks which
// decoded video frame to show. Every policy (buffering, catch-up, A/V sync, which codes to raise) is
// decided here, with the time passed in (`now_us`, a monotonic microsecond clock of the caller's).
//
//   PlaySession s(PlayConfig{.mode = Mode::kLive, .min_cache_ms = 1000, .max_cache_ms = 3000,
//                            .output_rate = 48000, .output_channels = 2});
//   s.feed(bytes, now);                                  // any split of the FLV byte stream
//   while (s.next_notice(&n)) ...                        // 2003, 2004, 2007, 2104, 2105, 2107, ...
//   while (s.next_track_config(&c)) ...                  // (re)configure a decoder
//   while (s.next_audio_packet(&p)) decode -> s.push_audio(pts, planar, frames, channels, rate);
//   s.render_audio(now, out, 480);                       // 10 ms of output, planar, time-stretched
//   s.set_played_frames(worklet_position, now);          // what the device has played so far
//   while (s.next_video_packet(now, &p)) decode ...      // packets due for decoding (dts order)
//   switch (s.frame_action(frame_pts_us, now)) { kShow: draw, s.frame_shown(pts, now); ... }
//
// The jitter buffer follows WebRTC NetEq's parts: a packet buffer (encoded video; decoded audio PCM,
// since audio decoding is cheap and async decoders must run ahead), a delay estimator (arrival time
// against media time, drift-tolerant), a buffer-level filter and a pure decision function
// `decide(status) -> operation` (normal, wait/buffering, expand, accelerate, skip to a key frame),
// each in its own file under wasm/core/play/. Audio is the master clock: the media time heard now is the
// time of the output sample the device is playing (set_played_frames); video is scheduled against it.
// A stream without audio plays on the same clock, with silent output.
//
// Delay ("cache") is the newest media time received minus the media time heard now. `live` keeps it
// in [min_cache, max_cache] (growing with measured jitter, above max_cache catching up by playing
// audio up to about 10 % faster with pitch-preserving time-stretching, and jumping to the next key
// frame only when far behind); `RTC` ignores the cache attributes and keeps it as low as the measured
// arrival jitter allows.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "play/decoder_fallback.h"

namespace lw::play {

enum class Mode : uint8_t { kLive, kRtc };

struct PlayConfig {
  Mode mode = Mode::kLive;
  int32_t min_cache_ms = 1000;  // live only (docs/api.md: min-cache, max-cache in seconds)
  int32_t max_cache_ms = 3000;
  int32_t output_rate = 48000;  // Hz of the audio output (the AudioContext's sampleRate)
  int32_t output_channels = 2;  // planes render_audio() writes
  bool expect_flv_header = true;  // false: the input starts with tags
};

// A state code of docs/api.md that the session raised, with a reason a person can read.
struct Notice {
  int32_t code = 0;
  std::string message;
};

enum class TrackKind : uint8_t { kAudio, kVideo };

// A decoder configuration: the first one of a track and every change (new sequence header).
struct TrackConfig {
  TrackKind kind = TrackKind::kVideo;
  std::string codec;          // WebCodecs codec string: "avc1.64001f", "hvc1.1.6.L93.B0", "mp4a.40.2", "opus",
                              // "mp3", "alaw", "ulaw", "pcm-s16", "pcm-u8"
  std::string decoder;        // the wasm decoder: FFmpeg's "h264", "hevc", "aac", "opus", "mp3"; the core's
                              // "alaw", "mulaw", "pcm_s16le", "pcm_u8" (codec/raw_audio.h)
  Bytes description;          // AVCDecoderConfigurationRecord, HEVCDecoderConfigurationRecord,
                              // AudioSpecificConfig or OpusHead (Enhanced RTMP)
  int32_t width = 0, height = 0;              // video: from the SPS
  int32_t sample_rate = 0, channels = 0;      // audio
  uint32_t generation = 0;    // counts configurations of this track; packets carry the one they need
};

// One encoded frame. `data` is a view, valid until the next call into the session.
struct MediaPacket {
  TrackKind kind = TrackKind::kVideo;
  bool key = false;
  int64_t dts_us = 0;
  int64_t pts_us = 0;
  uint32_t generation = 0;
  ByteSpan data;  // video: length-prefixed NAL units (AVCC/HVCC); audio: one raw AAC/Opus frame
};

// A track of the stream (Enhanced RTMP v2 Multitrack: several per kind, each with its id; a plain
// stream has track 0 of each kind it carries).
struct TrackInfo {
  TrackKind kind = TrackKind::kVideo;
  int32_t id = 0;
  std::string codec;           // the decoder configuration's codec string once known, else the FLV codec name
  int32_t width = 0, height = 0;  // video, from the track's sequence header (0 while unknown)
  bool selected = false;       // the track that plays
  bool pending = false;        // chosen, playing from its next key frame (video) or packet (audio)
};

// A change of the track list or of the playing track, for the shell to pass on (with tracks()).
struct TrackEvent {
  enum class Type : uint8_t {
    kList,      // a track appeared, or its codec or size became known
    kSwitched,  // `id` plays now (after select_track, or the default taking over)
    kGone,      // the playing track `id` stopped arriving; the default among the others takes over
  };
  Type type = Type::kList;
  TrackKind kind = TrackKind::kVideo;
  int32_t id = 0;
  std::string message;
};

enum class FrameAction : uint8_t { kWait, kShow, kDrop };

// netstatus (docs/api.md) plus what the jitter buffer knows; rates over the last second.
struct NetStats {
  int32_t video_bitrate_kbps = 0, audio_bitrate_kbps = 0;
  double video_fps = 0;          // frames shown per second
  double video_gop_s = 0;        // key-frame interval
  int32_t net_speed_kbps = 0;    // bytes received
  int32_t net_jitter_ms = 0;     // arrival jitter the estimator measures
  int32_t video_width = 0, video_height = 0;
  int32_t cache_ms = 0;          // delay: newest received media time - media time heard now
  int32_t target_ms = 0;         // the delay the jitter buffer aims for now
  int64_t dropped_frames = 0;    // video frames received but never shown (late, skipped, hidden, failed)
  int64_t shown_frames = 0;
  int64_t accelerate_ms = 0;     // media time removed by time-stretching
  int64_t expand_ms = 0;         // silence played because no audio was there (after the start)
  int64_t skips = 0;             // jumps to a key frame to catch up
  int64_t decelerate_ms = 0;     // media time added by time-stretching (sender clock slower than ours)
};

class PlaySession {
 public:
  explicit PlaySession(const PlayConfig& config);
  ~PlaySession();
  PlaySession(const PlaySession&) = delete;
  PlaySession& operator=(const PlaySession&) = delete;

  // Mode or cache window changed while playing.
  void configure(const PlayConfig& config);

  // ---- input -------------------------------------------------------------------------------------
  // Takes all of `flv`; demuxes, stores, measures arrival.
  void feed(ByteSpan flv, int64_t now_us);
  // The source ended (publisher gone or socket closed): what is buffered still plays out.
  void end_of_input(int64_t now_us);
  // A new connection (reconnect) follows: a fresh FLV header is expected, timestamps may restart,
  // the timeline is re-anchored when media arrives again; buffered media keeps playing meanwhile.
  void restart_input(int64_t now_us);
  // The gateway dropped frames for this player (a `drop` text frame, with how many video tags it
  // dropped): raises 2107 and counts them in dropped_frames (sent by the server, never shown).
  void note_source_drop(int64_t now_us, int64_t video_frames = 0);

  // ---- events ------------------------------------------------------------------------------------
  bool next_notice(Notice* out);
  bool next_track_config(TrackConfig* out);

  // ---- tracks (Enhanced RTMP v2 Multitrack) --------------------------------------------------------
  // Only the selected track of each kind is decoded: by default track 0 (or the lowest id present).
  bool next_track_event(TrackEvent* out);
  std::vector<TrackInfo> tracks() const;
  // The page's choice: video switches at the track's next key frame (the old one plays until then),
  // audio at its next packet; a kSwitched event says when. kInvalid for a track not in the stream.
  Status select_track(TrackKind kind, int32_t id);

  // ---- audio -------------------------------------------------------------------------------------
  // Encoded audio is handed out as soon as it arrives, in order, for decoding ahead.
  bool next_audio_packet(MediaPacket* out);
  // Decoded PCM of one packet: planar float (channels planes of `frames` samples), any rate.
  void push_audio(int64_t pts_us, const float* planar, int32_t frames, int32_t channels, int32_t sample_rate);
  // A packet that failed to decode: 2101 (video) / 2102 (audio); video then waits for a key frame.
  void report_decode_error(TrackKind kind, int64_t now_us, const std::string& reason);
  // The browser's decoder (WebCodecs) of `kind` failed: `refused` when a call threw (it will not take
  // the stream), else its error callback. Raises 2101 (video: a new browser decoder from the next key
  // frame), 2106 (video: FFmpeg in wasm from now on) or 2102 (audio: wasm from now on) and returns what
  // the worker does (decoder_fallback.h). Video then waits for a key frame.
  DecoderVerdict report_browser_decoder_failure(TrackKind kind, int64_t now_us, bool refused, const std::string& reason);
  // The browser's decoder of `kind` gave output: its earlier failures are forgiven.
  void browser_decoder_output(TrackKind kind);
  // The page asked for the browser's decoder (videoDecoder / audioDecoder 'webcodecs') and it cannot
  // take `codec`: 2106 for video (FFmpeg in wasm is used); audio goes to wasm without a code.
  void report_browser_decoder_unavailable(TrackKind kind, const std::string& codec);

  // Writes `frames` frames of output (output_channels planes of `frames` floats, plane after plane)
  // into `out`: decoded audio resampled to output_rate, time-stretched when catching up, silence while
  // buffering, paused or muted by a gap. Call about every 10 ms, ahead of the device.
  void render_audio(int64_t now_us, float* out, int32_t frames);
  // Output frames the device has played in total (worklet position); the clock follows it.
  void set_played_frames(int64_t played_frames, int64_t now_us);
  // The media time heard now (microseconds of the stream's timeline), or -1 before playback begins.
  int64_t media_time_us(int64_t now_us) const;

  // ---- video -------------------------------------------------------------------------------------
  // The next packet to decode now, in decode order: packets whose dts is within the decoder's lead of
  // the clock (all of them before playback begins up to the first key frame, so the first picture
  // comes early). Drops what can no longer be shown in time, up to the next key frame.
  bool next_video_packet(int64_t now_us, MediaPacket* out);
  // What to do with a decoded frame of presentation time pts_us: wait, show it now, or drop it (late).
  FrameAction frame_action(int64_t pts_us, int64_t now_us) const;
  // The shell drew the frame: the first one raises 2004; counts fps. width x height: the picture's size
  // (0 when the shell does not know), which netstatus's videoWidth/videoHeight report (the sequence
  // header's size before the first picture, or when the shell passes none: AV1 and VP9 records name none).
  void frame_shown(int64_t pts_us, int64_t now_us, int32_t width = 0, int32_t height = 0);
  // A frame the shell discarded (frame_action said kDrop, or it was superseded).
  void frame_dropped(int64_t pts_us);
  // false while the page is hidden: video packets are discarded; true again resumes at the next key frame.
  void set_video_enabled(bool enabled, int64_t now_us);

  // ---- control -----------------------------------------------------------------------------------
  // pause: output goes silent, the clock stops, the last picture stays; resume: continues from the
  // live edge (a live stream does not replay what arrived while paused).
  void pause(int64_t now_us);
  void resume(int64_t now_us);

  NetStats net_stats(int64_t now_us);

  // ---- introspection (tests, debug overlay) --------------------------------------------------------
  // Bytes of media held: encoded packets and decoded PCM (bounded; see packet_queue.h, pcm_ring.h).
  size_t stored_bytes() const;
  // The jitter buffer's last play-out operation: "normal", "buffering", "expand", "accelerate",
  // "decelerate", "skip".
  const char* last_operation() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lw::play
