#include "codecs/video_decoder.h"

#include "codec/avc_config.h"
#include "codec/avc_sps.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/buffer.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>
#include <libavutil/pixdesc.h>
}

namespace lw::codecs {
namespace {

// The last error/warning line FFmpeg logged (one decoder runs at a time; with decoding threads a message
// from a worker thread may land here too, a line at worst garbled, never read past its end).
char g_last_log[256];
bool g_log_installed = false;

void log_capture(void* avcl, int level, const char* fmt, va_list args) {
  if (level <= AV_LOG_WARNING) {
    va_list copy;
    va_copy(copy, args);
    std::vsnprintf(g_last_log, sizeof(g_last_log), fmt, copy);
    va_end(copy);
    // One line: drop the trailing newline FFmpeg's messages carry.
    for (char* p = g_last_log; *p; ++p)
      if (*p == '\n') *p = '\0';
  }
  av_log_default_callback(avcl, level, fmt, args);
}

// lengthSizeMinusOne + 1 of an avcC (byte 4) or hvcC (byte 21) record; 0 for VP9 (a packet is one
// frame or superframe, no NAL units; its vpcC says nothing the decoder needs).
Result<int> record_length_size(std::string_view decoder, ByteSpan d) {
  if (decoder == "vp9") return 0;
  if (decoder == "h264") {
    if (d.size() < 7) return Status(ErrorCode::kTruncated, "AVCDecoderConfigurationRecord shorter than 7 bytes");
    if (d[0] != 1) return Status(ErrorCode::kInvalid, "AVCDecoderConfigurationRecord version is not 1");
    return (d[4] & 3) + 1;
  }
  if (d.size() < 23) return Status(ErrorCode::kTruncated, "HEVCDecoderConfigurationRecord shorter than 23 bytes");
  if (d[0] != 1) return Status(ErrorCode::kInvalid, "HEVCDecoderConfigurationRecord version is not 1");
  return (d[21] & 3) + 1;
}

// The NAL unit lengths must tile the packet exactly: a truncated or garbled packet is refused here,
// with a precise reason, before the decoder sees it.
Status check_framing(ByteSpan au, int length_size) {
  if (au.empty()) return Status(ErrorCode::kInvalid, "empty access unit");
  size_t pos = 0;
  for (int n = 0; pos < au.size(); ++n) {
    if (au.size() - pos < static_cast<size_t>(length_size))
      return Status(ErrorCode::kTruncated, "NAL unit " + std::to_string(n) + ": length field cut off");
    size_t len = 0;
    for (int i = 0; i < length_size; ++i) len = (len << 8) | au[pos + i];
    pos += length_size;
    if (len > au.size() - pos)
      return Status(ErrorCode::kTruncated, "NAL unit " + std::to_string(n) + " claims " + std::to_string(len) +
                                               " bytes, " + std::to_string(au.size() - pos) + " left");
    if (len > 0 && (au[pos] & 0x80))
      return Status(ErrorCode::kInvalid, "NAL unit " + std::to_string(n) + ": forbidden_zero_bit set");
    pos += len;
  }
  return Status::Ok();
}

// Average of the source chroma samples that one I420 chroma sample covers.
void convert_chroma(const uint8_t* src, int src_stride, int bytes, int shift, int src_w, int src_h, int log2w,
                    int log2h, uint8_t* dst, int dst_w, int dst_h) {
  const int nx = 2 >> log2w, ny = 2 >> log2h;  // samples per I420 chroma sample: 1 or 2 each way
  for (int y = 0; y < dst_h; ++y) {
    const int sy = (2 * y) >> log2h;
    const int rows = std::min(ny, src_h - sy);
    for (int x = 0; x < dst_w; ++x) {
      const int sx = (2 * x) >> log2w;
      const int cols = std::min(nx, src_w - sx);
      unsigned sum = 0;
      for (int j = 0; j < rows; ++j) {
        const uint8_t* row = src + static_cast<size_t>(sy + j) * src_stride;
        for (int i = 0; i < cols; ++i) {
          sum += bytes == 1 ? row[sx + i]
                            : static_cast<unsigned>(reinterpret_cast<const uint16_t*>(row)[sx + i] >> shift);
        }
      }
      const unsigned count = static_cast<unsigned>(std::max(1, rows * cols));
      dst[static_cast<size_t>(y) * dst_w + x] = static_cast<uint8_t>(std::min(255u, (sum + count / 2) / count));
    }
  }
}

}  // namespace

Status check_h264_bit_depth(ByteSpan avcc, int max_bit_depth) {
  auto config = codec::parse_avc_config(avcc);
  if (!config.ok() || config->sps.empty()) return Status::Ok();
  auto sps = codec::parse_avc_sps(as_span(config->sps[0]));
  if (!sps.ok()) return Status::Ok();
  const uint32_t depth = std::max(sps->bit_depth_luma, sps->bit_depth_chroma);
  if (depth <= static_cast<uint32_t>(max_bit_depth)) return Status::Ok();
  return Status(ErrorCode::kUnsupported,
                "the stream is " + std::to_string(depth) + "-bit H.264 (profile_idc " + std::to_string(sps->profile_idc) +
                    "): not decoded in wasm, which decodes " + std::to_string(max_bit_depth) +
                    "-bit H.264 only (WebCodecs decodes it where the browser can)");
}

std::string take_ffmpeg_log_message() {
  std::string s = g_last_log;
  g_last_log[0] = '\0';
  return s;
}

void install_ffmpeg_log_capture() {
  if (g_log_installed) return;
  g_log_installed = true;
  av_log_set_callback(log_capture);
}

FfmpegVideoDecoder::FfmpegVideoDecoder() { install_ffmpeg_log_capture(); }

FfmpegVideoDecoder::~FfmpegVideoDecoder() {
  close();
  for (AVFrame* f : pool_) av_frame_free(&f);
  av_packet_free(&pkt_);
  av_buffer_unref(&input_);
}

void FfmpegVideoDecoder::close() {
  release_current();
  for (AVFrame* f : queue_) {
    av_frame_unref(f);
    pool_.push_back(f);
  }
  queue_.clear();
  avcodec_free_context(&ctx_);
}

Status FfmpegVideoDecoder::configure(std::string_view decoder, ByteSpan description) {
  if (decoder != "h264" && decoder != "hevc" && decoder != "vp9")
    return Status(ErrorCode::kUnsupported,
                  "video decoder must be 'h264', 'hevc' or 'vp9', not '" + std::string(decoder) + "'");
  if (ctx_ && decoder == name_ && std::equal(description.begin(), description.end(), description_.begin(),
                                             description_.end()))
    return Status::Ok();
  auto length_size = record_length_size(decoder, description);
  if (!length_size.ok()) return length_size.status();
  if (decoder == "h264") {
    if (Status depth = check_h264_bit_depth(description, kMaxH264BitDepth); !depth.ok()) {
      // As for any refused configuration, the old decoder's held frames come out first; then it is gone.
      if (ctx_) {
        LW_RETURN_IF_ERROR(flush());
        avcodec_free_context(&ctx_);
      }
      refused_ = depth;
      return depth;
    }
  }
  refused_ = Status::Ok();
  // Keep the frames the old decoder still holds for reordering (a resolution change must not lose
  // the last pictures before it): drained into the queue, whose frames outlive the context.
  if (ctx_) {
    LW_RETURN_IF_ERROR(flush());
    avcodec_free_context(&ctx_);
  }
  length_size_ = *length_size;
  return open(decoder, description);
}

Status FfmpegVideoDecoder::open(std::string_view decoder, ByteSpan description) {
  const AVCodec* codec = avcodec_find_decoder(decoder == "h264"   ? AV_CODEC_ID_H264
                                              : decoder == "vp9" ? AV_CODEC_ID_VP9
                                                                 : AV_CODEC_ID_HEVC);
  if (!codec) return Status(ErrorCode::kUnsupported, "this build has no " + std::string(decoder) + " decoder");
  name_ = std::string(decoder);
  description_.assign(description.begin(), description.end());
  ctx_ = avcodec_alloc_context3(codec);
  if (!pkt_) pkt_ = av_packet_alloc();
  if (!ctx_ || !pkt_) return Status(ErrorCode::kLimitExceeded, "FFmpeg allocation failed");
  // VP9: no extradata (FFmpeg's decoder reads none; the vpcC is only compared on reconfiguration).
  return open_ffmpeg_decoder(&ctx_, codec, decoder == "vp9" ? ByteSpan() : description, name_, threads_);
}

void FfmpegVideoDecoder::set_threads(int n) { threads_ = std::clamp(n, 1, kMaxDecoderThreads); }

AVFrame* FfmpegVideoDecoder::spare_frame() {
  if (!pool_.empty()) {
    AVFrame* f = pool_.back();
    pool_.pop_back();
    return f;
  }
  return av_frame_alloc();  // the pool grows to the deepest reorder queue seen, once
}

void FfmpegVideoDecoder::release_current() {
  if (!current_) return;
  av_frame_unref(current_);
  pool_.push_back(current_);
  current_ = nullptr;
}

Status FfmpegVideoDecoder::receive_all() {
  for (;;) {
    AVFrame* f = spare_frame();
    if (!f) return Status(ErrorCode::kLimitExceeded, "av_frame_alloc failed");
    const int err = avcodec_receive_frame(ctx_, f);
    if (err < 0) {
      pool_.push_back(f);
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return Status::Ok();
      return ffmpeg_decoder_error(err, "avcodec_receive_frame", name_);
    }
    queue_.push_back(f);
  }
}

Status FfmpegVideoDecoder::send(AVPacket* pkt) {
  int err = avcodec_send_packet(ctx_, pkt);
  if (err == AVERROR(EAGAIN)) {
    // Output not drained yet (cannot happen with receive_all after every send, but be safe).
    LW_RETURN_IF_ERROR(receive_all());
    err = avcodec_send_packet(ctx_, pkt);
  }
  if (err < 0 && err != AVERROR_EOF) {
    Status s = ffmpeg_decoder_error(err, "avcodec_send_packet", name_);
    (void)receive_all();  // frames finished before the bad packet still come out
    return s;
  }
  return receive_all();
}

Status FfmpegVideoDecoder::decode(ByteSpan au, int64_t pts_us, bool key) {
  if (!ctx_) return refused_.ok() ? Status(ErrorCode::kMisuse, "video decoder not configured") : refused_;
  release_current();
  ++packets_in_;
  if (length_size_ > 0) {
    LW_RETURN_IF_ERROR(check_framing(au, length_size_));
  } else if (au.empty()) {
    return Status(ErrorCode::kInvalid, "empty frame");
  }
  // A padded, reference-counted copy: FFmpeg then takes a reference instead of copying again, and the
  // buffer is reused whenever the decoder has let go of it (always, with one thread).
  const size_t need = au.size() + AV_INPUT_BUFFER_PADDING_SIZE;
  if (!input_ || static_cast<size_t>(input_->size) < need || !av_buffer_is_writable(input_)) {
    av_buffer_unref(&input_);
    input_ = av_buffer_alloc(std::max(need, static_cast<size_t>(64 * 1024)) * 2);
    if (!input_) return Status(ErrorCode::kLimitExceeded, "packet buffer allocation failed");
  }
  std::memcpy(input_->data, au.data(), au.size());
  std::memset(input_->data + au.size(), 0, AV_INPUT_BUFFER_PADDING_SIZE);
  pkt_->buf = av_buffer_ref(input_);
  if (!pkt_->buf) return Status(ErrorCode::kLimitExceeded, "av_buffer_ref failed");
  pkt_->data = input_->data;
  pkt_->size = static_cast<int>(au.size());
  pkt_->pts = pts_us;
  pkt_->dts = AV_NOPTS_VALUE;
  pkt_->flags = key ? AV_PKT_FLAG_KEY : 0;
  take_ffmpeg_log_message();
  Status s = send(pkt_);
  av_packet_unref(pkt_);
  return s;
}

Status FfmpegVideoDecoder::flush() {
  if (!ctx_) return Status::Ok();
  release_current();
  Status s = send(nullptr);
  avcodec_flush_buffers(ctx_);  // takes packets again after the drain
  return s;
}

bool FfmpegVideoDecoder::next_frame(VideoFrameView* out) {
  release_current();
  while (!queue_.empty()) {
    current_ = queue_.front();
    queue_.erase(queue_.begin());
    Status s = view_or_convert(current_, out);
    if (s.ok()) {
      ++frames_out_;
      return true;
    }
    last_error_ = s;
    ++frame_errors_;
    release_current();
  }
  return false;
}

Status FfmpegVideoDecoder::view_or_convert(AVFrame* f, VideoFrameView* out) {
  out->pts_us = f->pts != AV_NOPTS_VALUE ? f->pts : f->best_effort_timestamp;
  out->width = f->width;
  out->height = f->height;
  out->converted = false;
  if (f->format == AV_PIX_FMT_YUV420P || f->format == AV_PIX_FMT_YUVJ420P) {
    out->y = f->data[0], out->u = f->data[1], out->v = f->data[2];
    out->stride_y = f->linesize[0], out->stride_u = f->linesize[1], out->stride_v = f->linesize[2];
    return Status::Ok();
  }
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(f->format));
  const char* fmt_name = d ? d->name : "unknown";
  if (!d || !(d->flags & AV_PIX_FMT_FLAG_PLANAR) || (d->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_BE)) ||
      d->comp[0].depth < 8 || d->comp[0].depth > 16 || d->log2_chroma_w > 1 || d->log2_chroma_h > 1)
    return Status(ErrorCode::kUnsupported, std::string("decoded pixel format ") + fmt_name + " cannot be shown as I420");
  const int w = f->width, h = f->height, cw = (w + 1) / 2, ch = (h + 1) / 2;
  const int bytes = d->comp[0].depth > 8 ? 2 : 1, shift = d->comp[0].depth - 8;
  converted_.resize(static_cast<size_t>(w) * h + 2 * static_cast<size_t>(cw) * ch);
  uint8_t* y = converted_.data();
  uint8_t* u = y + static_cast<size_t>(w) * h;
  uint8_t* v = u + static_cast<size_t>(cw) * ch;
  for (int r = 0; r < h; ++r) {
    const uint8_t* src = f->data[0] + static_cast<size_t>(r) * f->linesize[0];
    uint8_t* dst = y + static_cast<size_t>(r) * w;
    if (bytes == 1) {
      std::memcpy(dst, src, w);
    } else {
      const uint16_t* s16 = reinterpret_cast<const uint16_t*>(src);
      for (int x = 0; x < w; ++x) dst[x] = static_cast<uint8_t>(std::min(255, s16[x] >> shift));
    }
  }
  if (d->nb_components < 3) {  // gray
    std::memset(u, 128, static_cast<size_t>(cw) * ch * 2);
  } else {
    const int sw = (w + (1 << d->log2_chroma_w) - 1) >> d->log2_chroma_w;
    const int sh = (h + (1 << d->log2_chroma_h) - 1) >> d->log2_chroma_h;
    convert_chroma(f->data[1], f->linesize[1], bytes, shift, sw, sh, d->log2_chroma_w, d->log2_chroma_h, u, cw, ch);
    convert_chroma(f->data[2], f->linesize[2], bytes, shift, sw, sh, d->log2_chroma_w, d->log2_chroma_h, v, cw, ch);
  }
  out->y = y, out->u = u, out->v = v;
  out->stride_y = w, out->stride_u = cw, out->stride_v = cw;
  out->converted = true;
  return Status::Ok();
}

Status ffmpeg_decoder_error(int err, std::string_view what, const std::string& decoder) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(err, text, sizeof(text));
  std::string reason = std::string(what) + " (" + decoder + "): " + text;
  const std::string detail = take_ffmpeg_log_message();
  if (!detail.empty()) reason += " [" + detail + "]";
  return Status(ErrorCode::kInvalid, reason);
}

Status open_ffmpeg_decoder(AVCodecContext** ctx, const AVCodec* codec, ByteSpan description, const std::string& name,
                           int threads) {
  AVCodecContext* c = *ctx;
  if (!description.empty()) {
    c->extradata = static_cast<uint8_t*>(av_mallocz(description.size() + AV_INPUT_BUFFER_PADDING_SIZE));
    if (!c->extradata) return Status(ErrorCode::kLimitExceeded, "extradata allocation failed");
    std::memcpy(c->extradata, description.data(), description.size());
    c->extradata_size = static_cast<int>(description.size());
  }
  c->thread_count = std::clamp(threads, 1, kMaxDecoderThreads);
  if (c->thread_count > 1) c->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
  c->pkt_timebase = AVRational{1, 1000000};
  take_ffmpeg_log_message();
  if (int err = avcodec_open2(c, codec, nullptr); err < 0) {
    Status s = ffmpeg_decoder_error(err, "avcodec_open2", name);
    avcodec_free_context(ctx);
    return s;
  }
  return Status::Ok();
}

}  // namespace lw::codecs
