// The player's software video decoder: FFmpeg's h264 / hevc decoders behind a small API that takes
// what FLV carries (an AVC/HEVC DecoderConfigurationRecord, then length-prefixed access units) and
// hands out 8-bit I420 pictures in presentation order, as views of the decoder's own frames.
//
//   FfmpegVideoDecoder dec;
//   dec.configure("h264", avcc_record);                 // again with a new record: reconfigures
//   dec.decode(access_unit, pts_us, key);               // error value on a corrupt packet; go on
//   VideoFrameView f;
//   while (dec.next_frame(&f)) draw(f.y, f.stride_y, ...);   // valid until the next call into dec
//   dec.flush();  while (dec.next_frame(&f)) ...        // the frames still held for reordering
//
// Frames: yuv420p / yuvj420p (what 8-bit 4:2:0 streams decode to) are handed out without a copy;
// 4:2:2, 4:4:4, gray and 9..16-bit planar YUV are converted to I420 into one reused buffer (plain C:
// the player carries no libyuv). Anything else is reported as an error value.
//
// Bit depth: the wasm builds' FFmpeg decodes 8-bit H.264 only (scripts/patches/ffmpeg-h264-8bit-only.patch
// leaves its 9..14-bit DSP code out: the player's module is ~58 KB gzip smaller), so there configure()
// refuses an H.264 record whose SPS says more than 8 bits (kUnsupported, "... is 10-bit H.264 ...") and
// decode() repeats that reason; WebCodecs takes such streams where the browser decodes them. HEVC of
// any bit depth FFmpeg knows (Main 10) decodes everywhere; natively (the system's FFmpeg) so does H.264.
//
// Memory: one AVPacket, a padded input buffer and a small pool of AVFrames (as deep as the reorder
// queue ever got) are reused; per packet FFmpeg allocates only what it does itself.
//
// Threads: one by default (the wasm modules are single-threaded). set_threads(n) before configure() asks
// FFmpeg for n frame threads (slice threads where the codec has no frame threads) in a build with threads
// (natively; livewasm_player_mt, built with -pthread). Frame threads hold n-1 packets before the first
// picture comes out: decode() then returns without a picture until the pipeline is full, and flush() (end of
// stream, skip, a new configuration) drains the held pictures in order, as for reordering.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

struct AVCodec;
struct AVCodecContext;
struct AVFrame;
struct AVPacket;
struct AVBufferRef;

namespace lw::codecs {

// One decoded picture, 8-bit I420. The pointers view memory owned by the decoder.
struct VideoFrameView {
  int64_t pts_us = 0;
  int width = 0, height = 0;  // visible size (cropping applied)
  const uint8_t* y = nullptr;
  const uint8_t* u = nullptr;
  const uint8_t* v = nullptr;
  int stride_y = 0, stride_u = 0, stride_v = 0;
  bool converted = false;  // true when the decoder converted another format into I420
};

// The highest H.264 bit depth this build's FFmpeg decodes (see above).
#ifdef __EMSCRIPTEN__
inline constexpr int kMaxH264BitDepth = 8;
#else
inline constexpr int kMaxH264BitDepth = 14;
#endif

// Ok, or kUnsupported naming the stream's bit depth when the first SPS of an AVCDecoderConfigurationRecord
// asks for more than `max_bit_depth` bits per sample. A record or SPS that does not parse is Ok here
// (FFmpeg says what is wrong with it).
Status check_h264_bit_depth(ByteSpan avcc, int max_bit_depth);

class FfmpegVideoDecoder {
 public:
  FfmpegVideoDecoder();
  ~FfmpegVideoDecoder();
  FfmpegVideoDecoder(const FfmpegVideoDecoder&) = delete;
  FfmpegVideoDecoder& operator=(const FfmpegVideoDecoder&) = delete;

  // `decoder`: "h264" or "hevc"; `description`: the AVCDecoderConfigurationRecord or the
  // HEVCDecoderConfigurationRecord (extradata; its lengthSizeMinusOne frames the packets). Calling it
  // again with the same arguments is a no-op; with others, the frames the old decoder still held are
  // drained into the output queue first, then a new decoder is opened.
  Status configure(std::string_view decoder, ByteSpan description);
  // Decoding threads for the decoders opened from now on, clamped to 1..kMaxDecoderThreads (a build
  // without threads decodes with one whatever this says).
  void set_threads(int n);
  int threads() const { return threads_; }
  bool configured() const { return ctx_ != nullptr; }

  // One access unit: length-prefixed NAL units. A packet whose framing does not add up, or that the
  // decoder rejects, is an error value (kInvalid with FFmpeg's reason); the decoder stays usable and
  // recovers at the next key frame. Decoded frames queue up for next_frame().
  Status decode(ByteSpan access_unit, int64_t pts_us, bool key);

  // End of stream (or a seek/skip): the frames held for reordering come out through next_frame();
  // afterwards the decoder takes packets again (it waits for a key frame).
  Status flush();

  // The next decoded picture in presentation order, or false. The view (and the previous one's
  // memory) is valid until the next call into the decoder. A picture that cannot be made I420 is
  // skipped and recorded: last_error() says why, frame_errors() counts them.
  bool next_frame(VideoFrameView* out);

  const Status& last_error() const { return last_error_; }
  uint64_t frame_errors() const { return frame_errors_; }
  uint64_t packets_in() const { return packets_in_; }
  uint64_t frames_out() const { return frames_out_; }
  const std::string& decoder_name() const { return name_; }
  // Frames decoded and waiting in the queue.
  size_t queued() const { return queue_.size(); }

 private:
  Status open(std::string_view decoder, ByteSpan description);
  void close();
  Status receive_all();
  AVFrame* spare_frame();
  void release_current();
  Status send(AVPacket* pkt);
  Status view_or_convert(AVFrame* f, VideoFrameView* out);

  AVCodecContext* ctx_ = nullptr;
  AVPacket* pkt_ = nullptr;
  AVBufferRef* input_ = nullptr;       // padded copy of the packet, reused while FFmpeg holds no ref
  std::vector<AVFrame*> pool_;         // unreferenced frames to receive into
  std::vector<AVFrame*> queue_;        // decoded, not yet handed out (decoder output order = pts order)
  AVFrame* current_ = nullptr;         // the frame the last view points into
  std::vector<uint8_t> converted_;     // I420 of a converted frame
  std::string name_;
  Bytes description_;
  int length_size_ = 4;
  int threads_ = 1;
  Status last_error_;
  Status refused_;  // why configure() refused the stream (decode() says it again), or Ok
  uint64_t frame_errors_ = 0, packets_in_ = 0, frames_out_ = 0;
};

// FFmpeg's last message at error or warning level from any decoder (the reason behind an
// AVERROR_INVALIDDATA), cleared by take. Installs a log callback on first use that keeps it and
// passes every message on to FFmpeg's default logger.
std::string take_ffmpeg_log_message();
void install_ffmpeg_log_capture();

inline constexpr int kMaxDecoderThreads = 16;

// Shared by the video and audio decoders. An FFmpeg error as a Status naming the call, the decoder and
// FFmpeg's own last message.
Status ffmpeg_decoder_error(int err, std::string_view what, const std::string& decoder);
// Gives *ctx the codec description as extradata (padded, as FFmpeg reads past the end), one thread and
// microsecond packet times, and opens it; on failure *ctx is freed (null). `threads` > 1: that many frame
// threads (FFmpeg's slice threads where the codec has no frame threads).
Status open_ffmpeg_decoder(AVCodecContext** ctx, const AVCodec* codec, ByteSpan description, const std::string& name,
                           int threads = 1);

}  // namespace lw::codecs
