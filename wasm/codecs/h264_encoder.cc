#include "codecs/h264_encoder.h"

#include <utility>

#include <wels/codec_api.h>

#include "codec/annexb.h"
#include "codec/avc_config.h"

namespace lw::codecs {
namespace {

// The peak the rate control may reach over a short window: 1.5x the target smooths scene changes
// without the bursts that would overflow a congested uplink.
int peak_bps(int kbps) { return kbps * 1000 / 2 * 3; }

Status openh264_error(const char* what, int rv) {
  return Status(ErrorCode::kInvalid, std::string("OpenH264 ") + what + " returned " + std::to_string(rv));
}

// OpenH264 writes every NAL unit with a 4-byte start code and reports its length including that code;
// the payload is what follows the start code (a 3-byte code is accepted too, defensively).
ByteSpan nal_payload(const uint8_t* p, int length) {
  if (length >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 1) return ByteSpan(p + 4, length - 4);
  if (length >= 3 && p[0] == 0 && p[1] == 0 && p[2] == 1) return ByteSpan(p + 3, length - 3);
  return ByteSpan(p, length > 0 ? length : 0);
}

}  // namespace

void H264Encoder::Deleter::operator()(ISVCEncoder* e) const {
  e->Uninitialize();
  WelsDestroySVCEncoder(e);
}

H264Encoder::H264Encoder() = default;
H264Encoder::~H264Encoder() = default;

std::string H264Encoder::name() const {
  const OpenH264Version v = WelsGetCodecVersion();
  return "openh264 " + std::to_string(v.uMajor) + "." + std::to_string(v.uMinor) + "." + std::to_string(v.uRevision);
}

Status H264Encoder::open(const H264EncoderOptions& o) {
  enc_.reset();
  // Either orientation: sides 16..1920, at most 1920x1088 worth of pixels (level 4.0's 8192 macroblocks
  // is the practical ceiling of a software encoder in a browser).
  if (o.width < 16 || o.width > 1920 || o.width % 2 || o.height < 16 || o.height > 1920 || o.height % 2 ||
      o.width * o.height > 1920 * 1088)
    return Status(ErrorCode::kUnsupported, "H.264 picture size " + std::to_string(o.width) + "x" +
                                               std::to_string(o.height) + " (even sides 16..1920, at most 1920x1088 pixels, can be encoded)");
  if (!(o.fps > 0 && o.fps <= 120) || o.bitrate_kbps < 10 || o.bitrate_kbps > 50000 || o.gop_frames < 1 ||
      o.threads < 1 || o.threads > 4 || o.temporal_layers < 1 || o.temporal_layers > 4)
    return Status(ErrorCode::kInvalid,
                  "H.264 options out of range (fps 0..120, 10..50000 kbit/s, gop >= 1, threads 1..4, temporal layers 1..4)");
  ISVCEncoder* raw = nullptr;
  if (int rv = WelsCreateSVCEncoder(&raw); rv != 0 || !raw) return openh264_error("WelsCreateSVCEncoder", rv);
  enc_.reset(raw);
  int trace = WELS_LOG_ERROR;  // the default level logs a line per frame when frame skipping is off
  enc_->SetOption(ENCODER_OPTION_TRACE_LEVEL, &trace);

  SEncParamExt p;
  enc_->GetDefaultParams(&p);
  p.iUsageType = CAMERA_VIDEO_REAL_TIME;
  p.iPicWidth = o.width;
  p.iPicHeight = o.height;
  p.iRCMode = RC_BITRATE_MODE;
  p.iTargetBitrate = o.bitrate_kbps * 1000;
  p.iMaxBitrate = peak_bps(o.bitrate_kbps);
  p.fMaxFrameRate = static_cast<float>(o.fps);
  p.uiIntraPeriod = static_cast<unsigned>(o.gop_frames);
  p.iMultipleThreadIdc = static_cast<unsigned short>(o.threads);
  p.bEnableFrameSkip = o.allow_frame_skip;
  // CONSTANT_ID: every IDR repeats the same SPS/PPS ids, so one avcC describes the whole stream.
  p.eSpsPpsIdStrategy = CONSTANT_ID;
  p.bPrefixNalAddingCtrl = false;  // plain AVC: no SVC prefix NAL units (type 14)
  p.iEntropyCodingModeFlag = 0;    // CAVLC: (constrained) baseline
  // No IDRs of its own on scene changes: keyframes come exactly every gop_frames (and on request),
  // which is where servers cut HLS segments and players join. Detection would also insert one every
  // few frames on noisy content (measured: every 17-18 frames on a noisy 640x360 picture).
  p.bEnableSceneChangeDetect = false;
  // Temporal layers: with 2, every other picture is one nothing refers to (nal_ref_idc 0), which the
  // muxer can drop under congestion without breaking the pictures after it.
  p.iTemporalLayerNum = o.temporal_layers;
  p.iSpatialLayerNum = 1;
  SSpatialLayerConfig& layer = p.sSpatialLayers[0];
  layer.iVideoWidth = o.width;
  layer.iVideoHeight = o.height;
  layer.fFrameRate = static_cast<float>(o.fps);
  layer.iSpatialBitrate = p.iTargetBitrate;
  layer.iMaxSpatialBitrate = p.iMaxBitrate;
  layer.uiProfileIdc = PRO_BASELINE;
  // Threads: OpenH264 encodes the slices of a picture in parallel, so n threads need n slices (one per
  // thread, a fixed count; its load balancing moves the boundaries by where the time went). The loop
  // filter then stops at slice boundaries (OpenH264 sets iLoopFilterDisableIdc 2 itself). One thread:
  // one slice, as before.
  if (o.threads > 1) {
    layer.sSliceArgument.uiSliceMode = SM_FIXEDSLCNUM_SLICE;
    layer.sSliceArgument.uiSliceNum = static_cast<unsigned>(o.threads);
  } else {
    layer.sSliceArgument.uiSliceMode = SM_SINGLE_SLICE;
  }
  if (int rv = enc_->InitializeExt(&p); rv != cmResultSuccess) {
    enc_.reset();
    return openh264_error("InitializeExt", rv);
  }
  int format = videoFormatI420;
  enc_->SetOption(ENCODER_OPTION_DATAFORMAT, &format);
  options_ = o;
  config_.clear();
  out_ = EncodedVideo{};
  force_idr_ = false;
  return Status::Ok();
}

Status H264Encoder::set_bitrate(int kbps) {
  if (!enc_) return Status(ErrorCode::kMisuse, "set_bitrate before open");
  if (kbps < 10 || kbps > 50000)
    return Status(ErrorCode::kInvalid, "H.264 bitrate " + std::to_string(kbps) + " kbit/s (10..50000)");
  // OpenH264 checks the target against the peak each time either changes, so raise the peak first
  // when going up and lower the target first when going down.
  SBitrateInfo target{SPATIAL_LAYER_ALL, kbps * 1000};
  SBitrateInfo peak{SPATIAL_LAYER_ALL, peak_bps(kbps)};
  const bool up = kbps > options_.bitrate_kbps;
  const std::pair<ENCODER_OPTION, SBitrateInfo*> steps[2] = {
      {up ? ENCODER_OPTION_MAX_BITRATE : ENCODER_OPTION_BITRATE, up ? &peak : &target},
      {up ? ENCODER_OPTION_BITRATE : ENCODER_OPTION_MAX_BITRATE, up ? &target : &peak}};
  for (const auto& [option, value] : steps) {
    if (int rv = enc_->SetOption(option, value); rv != cmResultSuccess)
      return openh264_error(option == ENCODER_OPTION_BITRATE ? "ENCODER_OPTION_BITRATE" : "ENCODER_OPTION_MAX_BITRATE",
                            rv);
  }
  options_.bitrate_kbps = kbps;
  return Status::Ok();
}

void H264Encoder::request_key_frame() { force_idr_ = true; }

Result<const EncodedVideo*> H264Encoder::encode(const image::I420View& picture, int64_t timestamp_ms) {
  if (!enc_) return Status(ErrorCode::kMisuse, "encode before open");
  if (picture.width != options_.width || picture.height != options_.height)
    return Status(ErrorCode::kInvalid, "picture is " + std::to_string(picture.width) + "x" +
                                           std::to_string(picture.height) + ", the encoder was opened for " +
                                           std::to_string(options_.width) + "x" + std::to_string(options_.height));
  if (!picture.y || !picture.u || !picture.v || picture.y_stride < picture.width ||
      picture.uv_stride < picture.width / 2)
    return Status(ErrorCode::kInvalid, "picture planes missing or strides narrower than the picture");
  if (force_idr_) {
    enc_->ForceIntraFrame(true);
    force_idr_ = false;
  }
  SSourcePicture pic{};
  pic.iColorFormat = videoFormatI420;
  pic.iPicWidth = picture.width;
  pic.iPicHeight = picture.height;
  pic.iStride[0] = picture.y_stride;
  pic.iStride[1] = pic.iStride[2] = picture.uv_stride;
  pic.pData[0] = picture.y;
  pic.pData[1] = picture.u;
  pic.pData[2] = picture.v;
  pic.uiTimeStamp = timestamp_ms;  // the rate control measures the frame rate from these
  SFrameBSInfo info{};
  if (int rv = enc_->EncodeFrame(&pic, &info); rv != cmResultSuccess) return openh264_error("EncodeFrame", rv);

  out_.produced = false;
  out_.key = false;
  out_.config_changed = false;
  out_.nal_units.clear();  // keeps its capacity
  out_.timestamp_ms = timestamp_ms;
  if (info.eFrameType == videoFrameTypeSkip || info.eFrameType == videoFrameTypeInvalid) return &out_;

  // Each layer is a run of start-code-prefixed NAL units; SPS and PPS go to the avcC, AUDs nowhere,
  // the rest into the frame, length-prefixed.
  ByteSpan sps, pps;
  for (int l = 0; l < info.iLayerNum; ++l) {
    const SLayerBSInfo& layer = info.sLayerInfo[l];
    const uint8_t* p = layer.pBsBuf;
    for (int n = 0; n < layer.iNalCount; ++n) {
      const int length = layer.pNalLengthInByte[n];
      const ByteSpan nal = nal_payload(p, length);
      p += length;
      if (nal.empty()) continue;
      const uint8_t type = codec::avc_nal_type(nal[0]);
      if (type == codec::avc_nal::kSps) sps = nal;
      else if (type == codec::avc_nal::kPps) pps = nal;
      else if (type != codec::avc_nal::kAud) LW_RETURN_IF_ERROR(codec::append_length_prefixed(nal, 4, &out_.nal_units));
    }
  }
  if (out_.nal_units.empty()) return &out_;
  out_.produced = true;
  out_.key = info.eFrameType == videoFrameTypeIDR;
  if (!sps.empty() && !pps.empty()) LW_RETURN_IF_ERROR(update_config(sps, pps));
  return &out_;
}

// Rebuilds the avcC from an IDR's parameter sets (once per GOP, so its allocation is not per frame).
Status H264Encoder::update_config(ByteSpan sps, ByteSpan pps) {
  auto record = codec::make_avc_config(std::span<const ByteSpan>(&sps, 1), std::span<const ByteSpan>(&pps, 1));
  if (!record.ok()) return record.status();
  auto bytes = codec::build_avc_config(record.value());
  if (!bytes.ok()) return bytes.status();
  out_.config_changed = bytes.value() != config_;
  config_ = std::move(bytes).value();
  return Status::Ok();
}

}  // namespace lw::codecs
