// The pusher's FLV writer: encoded frames in, FLV bytes for the gateway's /push out. It owns what makes
// a push survive reconnects: every new connection gets the FLV header, onMetaData and the current
// sequence headers again; video restarts on a key frame (frames before it are dropped, counted); and
// timestamps continue monotonically across connections (they are the caller's media clock, and a
// tag is never written with a timestamp below the last one written, per track: FLV players treat a
// backwards jump as a discontinuity).
//
//   PushMuxer mux({.has_video = true, .has_audio = true});
//   mux.set_avc_config(avcc_record, 640, 360, 30);   // from the encoder's first SPS/PPS
//   mux.set_aac_config(asc, 48000, 1);
//   mux.begin_connection(out);                        // header + metadata + sequence headers
//   mux.write_video(dts, cts, key, avcc_nalus, out);  // dropped (returns false) until the first key
//   mux.write_audio(ts, raw_aac, out);
//   ... socket breaks ... mux.begin_connection(out) on the new socket.
//
// A new avc config (resolution change) is written as a new sequence header at once and the next video
// frame must be a key frame.
//
// The video codec is H.264 (legacy CodecID 7) unless the options say otherwise: HEVC, AV1 and VP9 are
// written as Enhanced RTMP ('hvc1', 'av01', 'vp09': ExVideoTagHeader SequenceStart with the hvcC / av1C /
// vpcC record, then CodedFrames), for servers that take E-RTMP (node-media-server v4, SRS 6, OBS 29.1+).
// set_video_config takes that codec's record; set_avc_config is its H.264 name.
//
// onMetaData describes the stream as FFmpeg and OBS do (width, height, framerate, videodatarate,
// videocodecid, audiodatarate, audiosamplerate, audiosamplesize, stereo, audiocodecid, encoder). A
// connection usually opens before the encoder's first key frame, when the picture's size is not known:
// the metadata is written as soon as it can describe the video (at once for an audio-only push), and
// again, on the same connection, whenever what it says changes (a new resolution). Servers keep the
// latest (nginx-rtmp hands it to every player that joins later); players read the frame rate from it
// (mpegts.js and flv.js assume 23.976 without it).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "flv/flv_muxer.h"

namespace lw::push {

enum class AudioKind : uint8_t { kNone, kAac, kOpus };
// The pushed video codec (the `video-codec` attribute): H.264 as legacy FLV, the others as Enhanced RTMP.
enum class VideoKind : uint8_t { kH264, kHevc, kAv1, kVp9 };
// "h264", "hevc", "av1", "vp9" (the attribute's values) and back; false for another name.
bool parse_video_kind(std::string_view name, VideoKind* kind);
const char* video_kind_name(VideoKind kind);

struct PushMuxerOptions {
  bool has_video = true;
  VideoKind video = VideoKind::kH264;
  AudioKind audio = AudioKind::kAac;
  std::string encoder_name = "livewasm";  // onMetaData "encoder"
  // Nominal bitrates for onMetaData's videodatarate / audiodatarate (kbit/s); 0 leaves them out.
  double video_kbps = 0, audio_kbps = 0;
};

struct PushMuxerStats {
  uint64_t video_frames = 0, audio_frames = 0;
  uint64_t video_bytes = 0, audio_bytes = 0;  // payload bytes written
  uint64_t dropped_video = 0;                 // frames dropped while waiting for a key frame
  uint32_t connections = 0;
};

class PushMuxer {
 public:
  explicit PushMuxer(const PushMuxerOptions& options);

  // The codec's decoder configuration record (avcC, hvcC, av1C or vpcC); width/height/fps go into
  // onMetaData. Writes a sequence header now if a connection is open and the record changed.
  Status set_video_config(ByteSpan config, int width, int height, double fps, Bytes& out);
  Status set_avc_config(ByteSpan avc_config, int width, int height, double fps, Bytes& out) {
    return set_video_config(avc_config, width, height, fps, out);
  }
  // Another video codec (video-codec's fallback to H.264): only before the first record (kMisuse after).
  Status set_video_kind(VideoKind kind);
  VideoKind video_kind() const { return options_.video; }
  // AudioSpecificConfig (AAC) or OpusHead (Opus).
  Status set_audio_config(ByteSpan config, int sample_rate, int channels, Bytes& out);

  // Starts the byte stream of a new connection.
  Status begin_connection(Bytes& out);

  // `nal_units` length-prefixed (4 bytes) for H.264 and HEVC; for AV1 the temporal unit's OBUs (low
  // overhead format), for VP9 the frame. Returns false (and writes nothing) for a frame that cannot
  // start or continue the stream (no connection, no config, waiting for a key frame).
  Result<bool> write_video(uint32_t dts_ms, int32_t cts_ms, bool key, ByteSpan nal_units, Bytes& out);
  Result<bool> write_audio(uint32_t timestamp_ms, ByteSpan frame, Bytes& out);

  bool waiting_for_key_frame() const;
  // The onMetaData properties the stream has now (what the next metadata tag would carry).
  std::vector<amf0::Property> metadata() const;
  const PushMuxerStats& stats() const { return stats_; }

 private:
  PushMuxerOptions options_;
  flv::Muxer muxer_;
  Bytes avc_config_, audio_config_;
  int width_ = 0, height_ = 0, sample_rate_ = 0, channels_ = 0;
  double fps_ = 0;
  // Writes onMetaData on the open connection when it can describe the video and differs from the one
  // this connection already carries.
  Status write_metadata_if_changed(Bytes& out);
  Status write_video_sequence_header(uint32_t timestamp_ms, Bytes& out);

  bool connected_ = false;
  std::string written_metadata_;  // amf0::to_string of the one on this connection; empty: none yet
  bool need_key_ = true;
  int64_t last_video_ts_ = -1, last_audio_ts_ = -1;
  PushMuxerStats stats_;
};

}  // namespace lw::push
