#include "round_trip/video_round_trip.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include <libyuv/convert.h>
#include <wels/codec_api.h>

extern "C" {
#include <libavutil/mem.h>
}

#include "codecs/ffmpeg_util.h"

namespace lw::codecs {
namespace {

struct I420 {
  int width = 0, height = 0;
  std::vector<uint8_t> data;  // Y (w*h), U, V (w/2*h/2 each), tightly packed
  uint8_t* y() { return data.data(); }
  uint8_t* u() { return data.data() + width * height; }
  uint8_t* v() { return u() + (width / 2) * (height / 2); }
};

// Frame `index` of the test sequence as RGBA: smooth gradients that move (something an encoder
// must actually code, but compressible) and a white square crossing the picture.
void synth_rgba(int width, int height, int index, std::vector<uint8_t>* rgba) {
  rgba->resize(static_cast<size_t>(width) * height * 4);
  const int box = std::max(8, height / 6);
  const int bx = (index * 4) % std::max(1, width - box), by = height / 3;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t* p = rgba->data() + (static_cast<size_t>(y) * width + x) * 4;
      const bool in_box = x >= bx && x < bx + box && y >= by && y < by + box;
      p[0] = in_box ? 255 : static_cast<uint8_t>((x + index * 2) * 255 / (width + 60) & 0xff);
      p[1] = in_box ? 255 : static_cast<uint8_t>(y * 255 / height);
      p[2] = in_box ? 255 : static_cast<uint8_t>(128 + 100 * std::sin((x + y + index * 3) / 23.0));
      p[3] = 255;
    }
  }
}

// RGBA bytes in memory are libyuv's "ABGR" (it names formats by little-endian word order).
Status make_i420(int width, int height, int index, std::vector<uint8_t>* rgba, I420* out) {
  synth_rgba(width, height, index, rgba);
  out->width = width;
  out->height = height;
  out->data.resize(static_cast<size_t>(width) * height * 3 / 2);
  if (libyuv::ABGRToI420(rgba->data(), width * 4, out->y(), width, out->u(), width / 2, out->v(), width / 2,
                         width, height) != 0)
    return Status(ErrorCode::kInvalid, "libyuv::ABGRToI420 failed");
  return Status::Ok();
}

double plane_sse(const uint8_t* a, int a_stride, const uint8_t* b, int b_stride, int w, int h) {
  double sse = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const int d = int(a[y * a_stride + x]) - int(b[y * b_stride + x]);
      sse += d * d;
    }
  return sse;
}

double psnr(double sse, double samples) {
  if (sse <= 0) return 100.0;  // identical: report a finite ceiling
  return 10 * std::log10(255.0 * 255.0 * samples / sse);
}

// Per-frame comparison of a decoded picture (three planes with strides) with the source.
struct Psnr {
  double y = 0, all = 0;
};
Psnr compare(I420& src, const uint8_t* const planes[3], const int strides[3]) {
  const int w = src.width, h = src.height;
  const double sy = plane_sse(src.y(), w, planes[0], strides[0], w, h);
  const double su = plane_sse(src.u(), w / 2, planes[1], strides[1], w / 2, h / 2);
  const double sv = plane_sse(src.v(), w / 2, planes[2], strides[2], w / 2, h / 2);
  return {psnr(sy, double(w) * h), psnr(sy + su + sv, double(w) * h * 1.5)};
}

std::string openh264_name() {
  const OpenH264Version v = WelsGetCodecVersion();
  return "openh264 " + std::to_string(v.uMajor) + "." + std::to_string(v.uMinor) + "." + std::to_string(v.uRevision);
}

struct PictureSink {
  VideoRoundTripResult* result;
  std::vector<Psnr>* scores;
  const VideoRoundTripOptions* options;
  std::vector<uint8_t>* rgba;
  Status on_picture(const uint8_t* const planes[3], const int strides[3], int width, int height) {
    if (width != options->width || height != options->height)
      return Status(ErrorCode::kInvalid, "decoded size " + std::to_string(width) + "x" + std::to_string(height) +
                                             " differs from the source");
    I420 src;
    // Baseline profile: no reordering, so the n-th picture out is source frame n.
    LW_RETURN_IF_ERROR(make_i420(width, height, result->decoded_frames, rgba, &src));
    scores->push_back(compare(src, planes, strides));
    result->decoded_frames++;
    result->decoded_width = width;
    result->decoded_height = height;
    return Status::Ok();
  }
};

// The decoders behind one duck-typed interface for run_round_trip: decode(access unit or nullptr to
// flush, on_picture(planes, strides, width, height)).
class FfmpegVideoDecoder {
 public:
  Status open(AVCodecID id) {
    const AVCodec* codec = avcodec_find_decoder(id);
    if (!codec) return Status(ErrorCode::kUnsupported, std::string("no decoder for ") + avcodec_get_name(id));
    ctx_.reset(avcodec_alloc_context3(codec));
    frame_.reset(av_frame_alloc());
    pkt_.reset(av_packet_alloc());
    if (!ctx_ || !frame_ || !pkt_) return Status(ErrorCode::kLimitExceeded, "ffmpeg allocation");
    if (int err = avcodec_open2(ctx_.get(), codec, nullptr); err < 0) return av_status(err, "avcodec_open2");
    return Status::Ok();
  }
  const char* name() const { return ctx_->codec->name; }
  // nullptr data: flush.
  template <class F>
  Status decode(const uint8_t* data, size_t size, F&& on_picture) {
    if (data) {
      if (int err = av_new_packet(pkt_.get(), static_cast<int>(size)); err < 0) return av_status(err, "av_new_packet");
      std::memcpy(pkt_->data, data, size);
    }
    int err = avcodec_send_packet(ctx_.get(), data ? pkt_.get() : nullptr);
    av_packet_unref(pkt_.get());
    if (err < 0 && err != AVERROR_EOF) return av_status(err, std::string("avcodec_send_packet ") + name());
    for (;;) {
      err = avcodec_receive_frame(ctx_.get(), frame_.get());
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return Status::Ok();
      if (err < 0) return av_status(err, std::string("avcodec_receive_frame ") + name());
      if (frame_->format != AV_PIX_FMT_YUV420P && frame_->format != AV_PIX_FMT_YUVJ420P) {
        av_frame_unref(frame_.get());
        return Status(ErrorCode::kUnsupported, "decoded pixel format is not 8-bit 4:2:0");
      }
      const uint8_t* const planes[3] = {frame_->data[0], frame_->data[1], frame_->data[2]};
      const int strides[3] = {frame_->linesize[0], frame_->linesize[1], frame_->linesize[2]};
      Status s = on_picture(planes, strides, frame_->width, frame_->height);
      av_frame_unref(frame_.get());
      LW_RETURN_IF_ERROR(s);
    }
  }

 private:
  CodecContextPtr ctx_;
  FramePtr frame_;
  PacketPtr pkt_;
};

class OpenH264Decoder {
 public:
  ~OpenH264Decoder() {
    if (dec_) {
      dec_->Uninitialize();
      WelsDestroyDecoder(dec_);
    }
  }
  Status open() {
    if (WelsCreateDecoder(&dec_) != 0 || !dec_) return Status(ErrorCode::kLimitExceeded, "WelsCreateDecoder");
    SDecodingParam param{};
    param.sVideoProperty.eVideoBsType = VIDEO_BITSTREAM_AVC;
    if (dec_->Initialize(&param) != 0) return Status(ErrorCode::kInvalid, "OpenH264 decoder Initialize");
    return Status::Ok();
  }
  template <class F>
  Status decode(const uint8_t* data, size_t size, F&& on_picture) {
    if (!data) return Status::Ok();  // DecodeFrameNoDelay releases every picture immediately
    uint8_t* planes[3] = {};
    SBufferInfo info{};
    const DECODING_STATE state = dec_->DecodeFrameNoDelay(data, static_cast<int>(size), planes, &info);
    if (state != dsErrorFree) return Status(ErrorCode::kInvalid, "OpenH264 DecodeFrameNoDelay state " + std::to_string(state));
    if (info.iBufferStatus != 1) return Status::Ok();
    const uint8_t* const cplanes[3] = {planes[0], planes[1], planes[2]};
    const int strides[3] = {info.UsrData.sSystemBuffer.iStride[0], info.UsrData.sSystemBuffer.iStride[1],
                            info.UsrData.sSystemBuffer.iStride[1]};
    return on_picture(cplanes, strides, info.UsrData.sSystemBuffer.iWidth, info.UsrData.sSystemBuffer.iHeight);
  }

 private:
  ISVCDecoder* dec_ = nullptr;
};

struct EncoderDeleter {
  void operator()(ISVCEncoder* e) const {
    e->Uninitialize();
    WelsDestroySVCEncoder(e);
  }
};

Result<std::unique_ptr<ISVCEncoder, EncoderDeleter>> open_encoder(const VideoRoundTripOptions& o) {
  ISVCEncoder* raw = nullptr;
  if (WelsCreateSVCEncoder(&raw) != 0 || !raw) return Status(ErrorCode::kLimitExceeded, "WelsCreateSVCEncoder");
  std::unique_ptr<ISVCEncoder, EncoderDeleter> enc(raw);
  // Errors only: the default level prints a warning for every InitializeExt without frame skipping.
  int trace = WELS_LOG_ERROR;
  enc->SetOption(ENCODER_OPTION_TRACE_LEVEL, &trace);
  SEncParamExt p;
  enc->GetDefaultParams(&p);
  p.iUsageType = CAMERA_VIDEO_REAL_TIME;
  p.iPicWidth = o.width;
  p.iPicHeight = o.height;
  p.iTargetBitrate = o.bitrate;
  p.iMaxBitrate = UNSPECIFIED_BIT_RATE;
  p.iRCMode = RC_BITRATE_MODE;
  p.fMaxFrameRate = static_cast<float>(o.fps);
  p.uiIntraPeriod = static_cast<unsigned>(o.intra_period);
  p.iMultipleThreadIdc = 1;  // no threads in this wasm build (see the pthread stubs)
  p.bEnableFrameSkip = false;  // every source frame must come out, so that PSNR pairs them
  p.iSpatialLayerNum = 1;
  p.sSpatialLayers[0].iVideoWidth = o.width;
  p.sSpatialLayers[0].iVideoHeight = o.height;
  p.sSpatialLayers[0].fFrameRate = static_cast<float>(o.fps);
  p.sSpatialLayers[0].iSpatialBitrate = o.bitrate;
  p.sSpatialLayers[0].iMaxSpatialBitrate = UNSPECIFIED_BIT_RATE;
  p.sSpatialLayers[0].uiProfileIdc = PRO_BASELINE;
  if (int rv = enc->InitializeExt(&p); rv != 0)
    return Status(ErrorCode::kInvalid, "OpenH264 InitializeExt returned " + std::to_string(rv));
  int format = videoFormatI420;
  enc->SetOption(ENCODER_OPTION_DATAFORMAT, &format);
  return enc;
}

Status check_options(const VideoRoundTripOptions& o) {
  if (o.width < 16 || o.width > 1920 || o.width % 2) return Status(ErrorCode::kInvalid, "width must be even, 16..1920");
  if (o.height < 16 || o.height > 1088 || o.height % 2) return Status(ErrorCode::kInvalid, "height must be even, 16..1088");
  if (o.frames < 1 || o.frames > 600) return Status(ErrorCode::kInvalid, "frames must be 1..600");
  if (o.bitrate < 10000 || o.bitrate > 50000000) return Status(ErrorCode::kInvalid, "bitrate must be 10k..50M");
  if (o.fps <= 0 || o.fps > 240) return Status(ErrorCode::kInvalid, "fps must be in (0, 240]");
  if (o.decoder != "ffmpeg" && o.decoder != "openh264")
    return Status(ErrorCode::kInvalid, "decoder must be 'ffmpeg' or 'openh264'");
  return Status::Ok();
}

template <class Decoder>
Result<VideoRoundTripResult> run_round_trip(const VideoRoundTripOptions& o, Decoder& dec) {
  VideoRoundTripResult r;
  r.encoder = openh264_name();
  auto enc = open_encoder(o);
  if (!enc.ok()) return enc.status();
  std::vector<uint8_t> rgba, au;
  std::vector<Psnr> scores;
  PictureSink sink{&r, &scores, &o, &rgba};
  auto on_picture = [&](const uint8_t* const planes[3], const int strides[3], int w, int h) {
    return sink.on_picture(planes, strides, w, h);
  };

  for (int i = 0; i < o.frames; ++i) {
    I420 src;
    LW_RETURN_IF_ERROR(make_i420(o.width, o.height, i, &rgba, &src));
    SSourcePicture pic{};
    pic.iColorFormat = videoFormatI420;
    pic.iPicWidth = o.width;
    pic.iPicHeight = o.height;
    pic.iStride[0] = o.width;
    pic.iStride[1] = pic.iStride[2] = o.width / 2;
    pic.pData[0] = src.y();
    pic.pData[1] = src.u();
    pic.pData[2] = src.v();
    pic.uiTimeStamp = static_cast<long long>(std::llround(i * 1000.0 / o.fps));
    SFrameBSInfo info{};
    if (int rv = (*enc)->EncodeFrame(&pic, &info); rv != cmResultSuccess)
      return Status(ErrorCode::kInvalid, "OpenH264 EncodeFrame returned " + std::to_string(rv));
    if (info.eFrameType == videoFrameTypeSkip || info.eFrameType == videoFrameTypeInvalid) continue;
    // One access unit: every NAL of every layer, each with its Annex B start code.
    au.clear();
    for (int l = 0; l < info.iLayerNum; ++l) {
      const SLayerBSInfo& layer = info.sLayerInfo[l];
      size_t size = 0;
      for (int n = 0; n < layer.iNalCount; ++n) size += static_cast<size_t>(layer.pNalLengthInByte[n]);
      au.insert(au.end(), layer.pBsBuf, layer.pBsBuf + size);
    }
    r.encoded_frames++;
    r.encoded_bytes += static_cast<int>(au.size());
    if (info.eFrameType == videoFrameTypeIDR) r.idr_frames++;
    LW_RETURN_IF_ERROR(dec.decode(au.data(), au.size(), on_picture));
  }
  LW_RETURN_IF_ERROR(dec.decode(nullptr, 0, on_picture));

  if (!scores.empty()) {
    double sum_y = 0, sum_all = 0, min_y = std::numeric_limits<double>::max();
    for (const Psnr& s : scores) {
      sum_y += s.y;
      sum_all += s.all;
      min_y = std::min(min_y, s.y);
    }
    r.psnr_y_avg = sum_y / scores.size();
    r.psnr_avg = sum_all / scores.size();
    r.psnr_y_min = min_y;
  }
  return r;
}

}  // namespace

Result<VideoRoundTripResult> h264_round_trip(const VideoRoundTripOptions& o) {
  LW_RETURN_IF_ERROR(check_options(o));
  if (o.decoder == "openh264") {
    OpenH264Decoder dec;
    LW_RETURN_IF_ERROR(dec.open());
    auto r = run_round_trip(o, dec);
    if (r.ok()) r->decoder = openh264_name();
    return r;
  }
  FfmpegVideoDecoder dec;
  LW_RETURN_IF_ERROR(dec.open(AV_CODEC_ID_H264));
  auto r = run_round_trip(o, dec);
  if (r.ok()) r->decoder = "ffmpeg h264";
  return r;
}

Result<DecodeResult> decode_annexb(const std::string& codec, ByteSpan stream) {
  AVCodecID id;
  if (codec == "h264") {
    id = AV_CODEC_ID_H264;
  } else if (codec == "hevc") {
    id = AV_CODEC_ID_HEVC;
  } else {
    return Status(ErrorCode::kUnsupported, "codec must be 'h264' or 'hevc', not '" + codec + "'");
  }
  FfmpegVideoDecoder dec;
  LW_RETURN_IF_ERROR(dec.open(id));
  ParserPtr parser(av_parser_init(id));
  if (!parser) return Status(ErrorCode::kUnsupported, "no parser for " + codec);
  CodecContextPtr parse_ctx(avcodec_alloc_context3(avcodec_find_decoder(id)));

  DecodeResult r;
  r.decoder = std::string("ffmpeg ") + dec.name();
  uint32_t hash = 2166136261u;  // FNV-1a
  auto on_picture = [&](const uint8_t* const planes[3], const int strides[3], int w, int h) -> Status {
    r.frames++;
    r.width = w;
    r.height = h;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) hash = (hash ^ planes[0][y * strides[0] + x]) * 16777619u;
    return Status::Ok();
  };
  // The parser wants padded input; feed it from a padded copy in bounded pieces.
  std::vector<uint8_t> padded(stream.begin(), stream.end());
  padded.resize(stream.size() + AV_INPUT_BUFFER_PADDING_SIZE, 0);
  size_t pos = 0;
  bool flushed = false;
  while (!flushed) {
    const size_t left = stream.size() - pos;
    const int chunk = static_cast<int>(std::min<size_t>(left, 64 * 1024));
    uint8_t* out = nullptr;
    int out_size = 0;
    const int used = av_parser_parse2(parser.get(), parse_ctx.get(), &out, &out_size,
                                      chunk ? padded.data() + pos : nullptr, chunk, AV_NOPTS_VALUE,
                                      AV_NOPTS_VALUE, 0);
    if (used < 0) return av_status(used, "av_parser_parse2");
    if (chunk > 0 && used == 0 && out_size == 0) return Status(ErrorCode::kInvalid, "parser made no progress");
    pos += static_cast<size_t>(used);
    if (out_size > 0) {
      r.packets++;
      LW_RETURN_IF_ERROR(dec.decode(out, static_cast<size_t>(out_size), on_picture));
    }
    if (chunk == 0 && out_size == 0) flushed = true;  // the parser has returned its last unit
  }
  LW_RETURN_IF_ERROR(dec.decode(nullptr, 0, on_picture));
  r.checksum = hash;
  return r;
}

}  // namespace lw::codecs
