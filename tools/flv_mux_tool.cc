// lw-flv-mux: an Annex B elementary stream (.h265 / .h264, e.g. `ffmpeg ... -c:v libx265 -f hevc`) or an
// IVF file of AV1 or VP9 (`ffmpeg ... -c:v libaom-av1|libvpx-vp9 -f ivf`), and optionally an ADTS .aac
// file -> FLV, written by the core's flv::Muxer. Debian's ffmpeg 5.1 cannot put HEVC, AV1 or VP9 into
// FLV; this is how the player's tests get them to serve over HTTP: HEVC in either signalling (legacy
// codec id 12, the CDN convention, or Enhanced RTMP 'hvc1'), AV1 and VP9 as Enhanced RTMP 'av01' /
// 'vp09' (sequence start: av1C / vpcC made from the stream, tools/ivf_frames.h; coded frames with no
// composition time).
//
//   lw-flv-mux --video in.h265|in.h264|in.ivf [--audio in.aac] [--fps 30] [--signalling legacy|enhanced]
//              [--codec hevc|h264|av1|vp9] [--check] -o out.flv
//
// Video timestamps come from --fps in stream order (composition time 0: streams without B-frames, e.g.
// x265 -x265-params bframes=0, x264 -bf 0); audio from the ADTS sample rate (1024 samples a frame).
// Tags are interleaved by timestamp. --check demuxes the result again with the core's flv::Demuxer and
// fails unless every frame comes back with its codec and key flag.
//
// stdout: one JSON line, {"result":"ok","codec":"hevc","signalling":"enhanced","width":320,"height":240,
//   "videoFrames":30,"keyFrames":2,"audioFrames":44,"durationMs":1000,"bytes":12345}   exit 0
// {"result":"error","reason":"..."}   exit 1; usage errors exit 64, unreadable files 66.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "annexb_access_units.h"
#include "ivf_frames.h"
#include "codec/aac_config.h"
#include "codec/avc_sps.h"
#include "codec/hevc_sps.h"
#include "flv/flv_demuxer.h"
#include "flv/flv_muxer.h"

namespace {

using lw::Bytes;
using lw::ByteSpan;
using lw::ErrorCode;
using lw::Result;
using lw::Status;
using lw::flv::Muxer;

struct Options {
  std::string video, audio, out, codec;
  double fps = 30;
  Muxer::HevcSignalling signalling = Muxer::HevcSignalling::kLegacyId12;
  bool check = false;
};

int usage(const char* why) {
  std::fprintf(stderr,
               "lw-flv-mux: %s\nusage: lw-flv-mux --video in.h265|in.h264|in.ivf [--audio in.aac] [--fps 30]\n"
               "                  [--signalling legacy|enhanced] [--codec hevc|h264|av1|vp9] [--check] -o out.flv\n",
               why);
  return 64;
}

std::optional<Bytes> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string json_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out;
}

int fail(const Status& s) {
  std::printf("{\"result\":\"error\",\"reason\":\"%s\"}\n", json_escape(s.to_string()).c_str());
  return 1;
}

struct AacTrack {
  Bytes config;  // AudioSpecificConfig
  uint32_t sample_rate = 0, channels = 0;
  std::vector<ByteSpan> frames;  // raw frames, views of the file
};

Result<AacTrack> parse_adts(const Bytes& file) {
  AacTrack t;
  for (size_t pos = 0; pos < file.size();) {
    auto h = lw::codec::parse_adts_header(ByteSpan(file).subspan(pos));
    if (!h.ok()) return Status(h.status().code(), "ADTS at byte " + std::to_string(pos) + ": " + h.status().reason());
    if (h->raw_data_blocks != 0) return Status(ErrorCode::kUnsupported, "ADTS frames with several raw data blocks");
    if (pos + h->frame_length > file.size()) break;  // a cut-off last frame
    if (t.frames.empty()) {
      const lw::codec::AacConfig c = lw::codec::adts_to_aac_config(*h);
      auto bytes = lw::codec::build_aac_config(c);
      if (!bytes.ok()) return bytes.status();
      t.config = std::move(bytes).value();
      t.sample_rate = c.output_sample_rate();
      t.channels = c.channels();
    }
    t.frames.push_back(ByteSpan(file).subspan(pos + h->header_size(), h->frame_length - h->header_size()));
    pos += h->frame_length;
  }
  if (t.frames.empty()) return Status(ErrorCode::kInvalid, "no ADTS frames");
  return t;
}

Result<std::pair<uint32_t, uint32_t>> picture_size(const lw::tools::ElementaryStream& es) {
  if (es.hevc) {
    auto config = lw::codec::parse_hevc_config(es.config);
    if (!config.ok()) return config.status();
    const auto sps = config->nalus_of_type(33);
    if (sps.empty()) return Status(ErrorCode::kInvalid, "no SPS");
    auto s = lw::codec::parse_hevc_sps(sps[0]);
    if (!s.ok()) return s.status();
    return std::make_pair(s->width, s->height);
  }
  auto config = lw::codec::parse_avc_config(es.config);
  if (!config.ok()) return config.status();
  if (config->sps.empty()) return Status(ErrorCode::kInvalid, "no SPS");
  auto s = lw::codec::parse_avc_sps(config->sps[0]);
  if (!s.ok()) return s.status();
  return std::make_pair(s->width, s->height);
}

// Demuxes `flv` and compares what comes back with what went in.
Status check(const Bytes& flv, const lw::tools::ElementaryStream& es, const AacTrack* aac, bool enhanced) {
  lw::flv::Demuxer demux;
  demux.feed(flv);
  demux.finish();
  lw::flv::Event ev;
  size_t video = 0, audio = 0, headers = 0;
  while (demux.next(&ev)) {
    if (ev.kind == lw::flv::EventKind::kWarning || ev.kind == lw::flv::EventKind::kError)
      return Status(ErrorCode::kInvalid, "demuxer: " + ev.status.to_string());
    if (ev.kind == lw::flv::EventKind::kVideo) {
      const auto want = es.hevc ? lw::flv::VideoCodec::kHevc : lw::flv::VideoCodec::kAvc;
      if (ev.video.codec != want || (es.hevc && ev.video.enhanced != enhanced))
        return Status(ErrorCode::kInvalid, "video tag with the wrong codec signalling");
      if (ev.video.is_sequence_header()) {
        ++headers;
        continue;
      }
      if (video >= es.units.size() || ev.video.key_frame() != es.units[video].key ||
          ev.payload().size() != es.units[video].data.size())
        return Status(ErrorCode::kInvalid, "video frame " + std::to_string(video) + " differs");
      ++video;
    } else if (ev.kind == lw::flv::EventKind::kAudio && !ev.audio.is_sequence_header()) {
      ++audio;
    }
  }
  if (headers != 1 || video != es.units.size() || audio != (aac ? aac->frames.size() : 0))
    return Status(ErrorCode::kInvalid, "read back " + std::to_string(video) + " video / " + std::to_string(audio) +
                                           " audio frames, " + std::to_string(headers) + " sequence headers");
  return Status::Ok();
}

// The IVF branch: AV1 or VP9 as Enhanced RTMP. Interleaves like main's loop; --check reads the frames back.
int mux_ivf(const Options& o, const Bytes& video_file, const std::optional<AacTrack>& aac) {
  auto ivf = lw::tools::parse_ivf(video_file, o.fps);
  if (!ivf.ok()) return fail(ivf.status());
  if ((o.codec == "av1") != ivf->av1) return fail(Status(ErrorCode::kInvalid, "--codec " + o.codec + " but the IVF holds the other"));
  if (ivf->frames.empty() || !ivf->frames[0].key) return fail(Status(ErrorCode::kInvalid, "the stream does not start with a key frame"));
  const auto codec = ivf->av1 ? lw::flv::VideoCodec::kAv1 : lw::flv::VideoCodec::kVp9;
  using lw::flv::VideoTagHeader;
  using lw::flv::VideoPacketType;
  Bytes out;
  Muxer mux;
  mux.write_header(aac.has_value(), true, out);
  using lw::amf0::Value;
  std::vector<lw::amf0::Property> meta = {{"width", Value::Number(ivf->width)},
                                          {"height", Value::Number(ivf->height)},
                                          {"framerate", Value::Number(o.fps)},
                                          {"videocodecid", Value::Number(double(lw::flv::video_codec_fourcc(codec)))}};
  if (aac) {
    meta.push_back({"audiocodecid", Value::Number(10)});
    meta.push_back({"audiosamplerate", Value::Number(aac->sample_rate)});
    meta.push_back({"stereo", Value::Boolean(aac->channels == 2)});
  }
  meta.push_back({"encoder", Value::String("livewasm lw-flv-mux")});
  Status s = mux.write_metadata(meta, out);
  if (s.ok()) s = mux.write_video(VideoTagHeader::enhanced_codec(codec, VideoPacketType::kSequenceStart, true), 0, ivf->config, out);
  if (s.ok() && aac) s = mux.write_aac_sequence_header(0, aac->config, out);
  size_t v = 0, a = 0, keys = 0;
  auto video_ms = [&](size_t i) { return static_cast<uint32_t>(std::llround(i * 1000.0 / o.fps)); };
  auto audio_ms = [&](size_t i) { return static_cast<uint32_t>(std::llround(i * 1024000.0 / aac->sample_rate)); };
  const auto& frames = ivf->frames;
  while (s.ok() && (v < frames.size() || (aac && a < aac->frames.size()))) {
    if (v < frames.size() && (!aac || a >= aac->frames.size() || video_ms(v) <= audio_ms(a))) {
      keys += frames[v].key;
      s = mux.write_video(VideoTagHeader::enhanced_codec(codec, VideoPacketType::kCodedFrames, frames[v].key), video_ms(v),
                          frames[v].data, out);
      ++v;
    } else {
      s = mux.write_aac_frame(audio_ms(a), aac->frames[a], out);
      ++a;
    }
  }
  if (!s.ok()) return fail(s);
  if (o.check) {
    lw::flv::Demuxer demux;
    demux.feed(out);
    demux.finish();
    lw::flv::Event ev;
    size_t got = 0, headers = 0;
    while (demux.next(&ev)) {
      if (ev.kind == lw::flv::EventKind::kWarning || ev.kind == lw::flv::EventKind::kError)
        return fail(Status(ErrorCode::kInvalid, "demuxer: " + ev.status.to_string()));
      if (ev.kind != lw::flv::EventKind::kVideo) continue;
      if (ev.video.codec != codec || !ev.video.enhanced) return fail(Status(ErrorCode::kInvalid, "video tag with the wrong codec"));
      if (ev.video.is_sequence_header()) {
        ++headers;
        continue;
      }
      if (got >= frames.size() || ev.video.key_frame() != frames[got].key ||
          !std::equal(ev.payload().begin(), ev.payload().end(), frames[got].data.begin(), frames[got].data.end()))
        return fail(Status(ErrorCode::kInvalid, "video frame " + std::to_string(got) + " differs"));
      ++got;
    }
    if (headers != 1 || got != frames.size())
      return fail(Status(ErrorCode::kInvalid, "read back " + std::to_string(got) + " frames, " + std::to_string(headers) + " sequence starts"));
  }
  std::ofstream file(o.out, std::ios::binary);
  file.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
  if (!file) return std::fprintf(stderr, "lw-flv-mux: cannot write %s\n", o.out.c_str()), 66;
  const uint32_t duration = std::max(video_ms(frames.size()), aac ? audio_ms(aac->frames.size()) : 0);
  std::printf("{\"result\":\"ok\",\"codec\":\"%s\",\"signalling\":\"enhanced\",\"width\":%u,\"height\":%u,\"videoFrames\":%zu,"
              "\"keyFrames\":%zu,\"audioFrames\":%zu,\"durationMs\":%u,\"bytes\":%zu}\n",
              o.codec.c_str(), ivf->width, ivf->height, frames.size(), keys, aac ? aac->frames.size() : size_t{0},
              duration, out.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::string signalling = "legacy";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (a == "--check") {
      o.check = true;
      continue;
    }
    if (!(v = value())) return usage(("missing value after " + a).c_str());
    if (a == "--video") o.video = v;
    else if (a == "--audio") o.audio = v;
    else if (a == "-o" || a == "--out") o.out = v;
    else if (a == "--codec") o.codec = v;
    else if (a == "--fps") o.fps = std::atof(v);
    else if (a == "--signalling") signalling = v;
    else return usage(("unknown option " + a).c_str());
  }
  if (o.video.empty() || o.out.empty()) return usage("--video and -o are required");
  if (!(o.fps > 0 && o.fps <= 240)) return usage("--fps must be in (0, 240]");
  if (signalling != "legacy" && signalling != "enhanced") return usage("--signalling is legacy or enhanced");
  o.signalling = signalling == "enhanced" ? Muxer::HevcSignalling::kEnhanced : Muxer::HevcSignalling::kLegacyId12;
  if (o.codec.empty()) {
    const bool h264 = o.video.size() > 5 && (o.video.ends_with(".h264") || o.video.ends_with(".264"));
    o.codec = h264 ? "h264" : "hevc";
  }
  const bool ivf = o.codec == "av1" || o.codec == "vp9";
  if (o.codec != "hevc" && o.codec != "h264" && !ivf) return usage("--codec is hevc, h264, av1 or vp9");
  const bool hevc = o.codec == "hevc";
  if (!hevc && !ivf && o.signalling == Muxer::HevcSignalling::kEnhanced)
    return usage("--signalling enhanced is for HEVC (H.264 is written as legacy codec id 7)");

  const auto video_file = read_file(o.video);
  if (!video_file) return std::fprintf(stderr, "lw-flv-mux: cannot read %s\n", o.video.c_str()), 66;
  std::optional<Bytes> audio_file;
  if (!o.audio.empty() && !(audio_file = read_file(o.audio)))
    return std::fprintf(stderr, "lw-flv-mux: cannot read %s\n", o.audio.c_str()), 66;

  std::optional<AacTrack> aac;
  if (audio_file) {
    auto t = parse_adts(*audio_file);
    if (!t.ok()) return fail(t.status());
    aac = std::move(t).value();
  }
  if (ivf) return mux_ivf(o, *video_file, aac);  // always Enhanced RTMP: AV1 and VP9 have no legacy id

  auto es = lw::tools::parse_elementary_stream(*video_file, hevc);
  if (!es.ok()) return fail(es.status());
  if (es->units.empty() || !es->units[0].key) return fail(Status(ErrorCode::kInvalid, "the stream does not start with a key frame"));
  auto size = picture_size(*es);
  if (!size.ok()) return fail(size.status());

  Bytes out;
  Muxer mux;
  mux.write_header(aac.has_value(), true, out);
  using lw::amf0::Value;
  const bool enhanced = hevc && o.signalling == Muxer::HevcSignalling::kEnhanced;
  const double codec_id = !hevc ? 7 : enhanced ? double(lw::flv::fourcc("hvc1")) : 12;
  std::vector<lw::amf0::Property> meta = {{"width", Value::Number(size->first)},
                                          {"height", Value::Number(size->second)},
                                          {"framerate", Value::Number(o.fps)},
                                          {"videocodecid", Value::Number(codec_id)}};
  if (aac) {
    meta.push_back({"audiocodecid", Value::Number(10)});
    meta.push_back({"audiosamplerate", Value::Number(aac->sample_rate)});
    meta.push_back({"stereo", Value::Boolean(aac->channels == 2)});
  }
  meta.push_back({"encoder", Value::String("livewasm lw-flv-mux")});
  Status s = mux.write_metadata(meta, out);
  if (s.ok()) {
    s = hevc ? mux.write_hevc_sequence_header(0, es->config, o.signalling, out)
             : mux.write_avc_sequence_header(0, es->config, out);
  }
  if (s.ok() && aac) s = mux.write_aac_sequence_header(0, aac->config, out);

  size_t v = 0, a = 0, keys = 0;
  auto video_ms = [&](size_t i) { return static_cast<uint32_t>(std::llround(i * 1000.0 / o.fps)); };
  auto audio_ms = [&](size_t i) { return static_cast<uint32_t>(std::llround(i * 1024000.0 / aac->sample_rate)); };
  while (s.ok() && (v < es->units.size() || (aac && a < aac->frames.size()))) {
    const bool take_video = v < es->units.size() && (!aac || a >= aac->frames.size() || video_ms(v) <= audio_ms(a));
    if (take_video) {
      const auto& u = es->units[v];
      keys += u.key;
      s = hevc ? mux.write_hevc_frame(video_ms(v), 0, u.key, u.data, o.signalling, out)
               : mux.write_avc_frame(video_ms(v), 0, u.key, u.data, out);
      ++v;
    } else {
      s = mux.write_aac_frame(audio_ms(a), aac->frames[a], out);
      ++a;
    }
  }
  if (!s.ok()) return fail(s);
  if (o.check) {
    if (Status c = check(out, *es, aac ? &*aac : nullptr, enhanced); !c.ok()) return fail(c);
  }
  std::ofstream file(o.out, std::ios::binary);
  file.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
  if (!file) return std::fprintf(stderr, "lw-flv-mux: cannot write %s\n", o.out.c_str()), 66;
  const uint32_t duration = std::max(video_ms(es->units.size()), aac ? audio_ms(aac->frames.size()) : 0);
  std::printf("{\"result\":\"ok\",\"codec\":\"%s\",\"signalling\":\"%s\",\"width\":%u,\"height\":%u,\"videoFrames\":%zu,"
              "\"keyFrames\":%zu,\"audioFrames\":%zu,\"durationMs\":%u,\"bytes\":%zu}\n",
              o.codec.c_str(), hevc ? signalling.c_str() : "legacy", size->first, size->second, es->units.size(), keys,
              aac ? aac->frames.size() : size_t{0}, duration, out.size());
  return 0;
}
