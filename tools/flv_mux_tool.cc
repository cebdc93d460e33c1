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
// --audio in.flac|in.ac3|in.eac3 (`ffmpeg ... -c:a flac -f flac`, `-c:a ac3 -f ac3`, `-c:a eac3 -f eac3`):
// Enhanced RTMP FourCC audio ('fLaC' with STREAMINFO as its sequence start, 'ac-3' / 'ec-3' with an empty
// one) instead of AAC, next to any video; timestamps from each frame's samples (tools/audio_frames.h).
//
// Video timestamps come from --fps in stream order (composition time 0: streams without B-frames, e.g.
// x265 -x265-params bframes=0, x264 -bf 0); audio from the ADTS sample rate (1024 samples a frame).
// Tags are interleaved by timestamp. --check demuxes the result again with the core's flv::Demuxer and
// fails unless every frame comes back with its codec and key flag.
//
// Enhanced RTMP v2 Multitrack (several renditions in one stream, track 0 the default):
//
//   lw-flv-mux --video-tracks a.h264,b.h264 [--audio-tracks a.aac,b.aac] [--fps 30]
//              [--multitrack many|many-codecs|one] [--check] -o out.flv
//
// Track i is the i-th file (Annex B .h264 / .h265, or .ivf of AV1 or VP9; ManyTracks takes one codec,
// many-codecs and one mix them; ADTS AAC at one sample rate). Frames of
// equal index share a Multitrack tag (ManyTracks by default; ManyTracksManyCodecs writes a FourCC per
// track; `one` writes one OneTrack tag per track) when their key flags agree, else each goes in its own
// OneTrack tag. --check reads every track back with the demuxer's split_tracks. stdout then has
// "videoTracks":[{"id":0,"width":..,"height":..,"frames":..},..],"audioTracks":[{"id":0,"frames":..},..].
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
#include <span>
#include <string>
#include <vector>

#include "annexb_access_units.h"
#include "audio_frames.h"
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
  std::vector<std::string> video_tracks, audio_tracks;
  lw::flv::MultitrackType multitrack = lw::flv::MultitrackType::kManyTracks;
  double fps = 30;
  Muxer::HevcSignalling signalling = Muxer::HevcSignalling::kLegacyId12;
  bool check = false;
};

int usage(const char* why) {
  std::fprintf(stderr,
               "lw-flv-mux: %s\nusage: lw-flv-mux --video in.h265|in.h264|in.ivf [--audio in.aac] [--fps 30]\n"
               "                  [--signalling legacy|enhanced] [--codec hevc|h264|av1|vp9] [--check] -o out.flv\n"
               "       lw-flv-mux --video-tracks a.h264,b.h264 [--audio-tracks a.aac,b.aac] [--fps 30]\n"
               "                  [--multitrack many|many-codecs|one] [--check] -o out.flv\n",
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
  // --audio in.flac|in.ac3|in.eac3: an Enhanced RTMP FourCC track (config: its sequence start's body) whose
  // frame i starts at sample first_sample[i]; AAC: 1024 samples a frame.
  lw::flv::AudioCodec codec = lw::flv::AudioCodec::kAac;
  std::vector<uint64_t> first_sample;
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

// The timestamp of frame i (i == frames.size(): the track's end).
uint32_t track_ms(const AacTrack& t, size_t i) {
  const double sample = t.first_sample.empty() ? i * 1024.0 : static_cast<double>(t.first_sample[i]);
  return static_cast<uint32_t>(std::llround(sample * 1000.0 / t.sample_rate));
}

double audio_codec_id(const AacTrack& t) {
  return t.codec == lw::flv::AudioCodec::kAac ? 10 : double(lw::flv::audio_codec_fourcc(t.codec));
}

Status write_audio_start(Muxer& mux, const AacTrack& t, Bytes& out) {
  if (t.codec == lw::flv::AudioCodec::kAac) return mux.write_aac_sequence_header(0, t.config, out);
  return mux.write_audio(lw::flv::AudioTagHeader::enhanced_codec(t.codec, lw::flv::AudioPacketType::kSequenceStart), 0,
                         t.config, out);
}

Status write_audio_frame(Muxer& mux, const AacTrack& t, size_t i, Bytes& out) {
  if (t.codec == lw::flv::AudioCodec::kAac) return mux.write_aac_frame(track_ms(t, i), t.frames[i], out);
  return mux.write_audio(lw::flv::AudioTagHeader::enhanced_codec(t.codec, lw::flv::AudioPacketType::kCodedFrames),
                         track_ms(t, i), t.frames[i], out);
}

// ADTS, or by the file's extension FLAC / AC-3 / E-AC-3 (tools/audio_frames.h).
Result<AacTrack> parse_audio(const std::string& path, const Bytes& file) {
  if (!path.ends_with(".flac") && !path.ends_with(".ac3") && !path.ends_with(".eac3")) return parse_adts(file);
  auto frames = path.ends_with(".flac") ? lw::tools::parse_flac_stream(file) : lw::tools::parse_ac3_stream(file);
  if (!frames.ok()) return frames.status();
  AacTrack t;
  t.codec = frames->codec;
  t.config = std::move(frames->config);
  t.sample_rate = frames->sample_rate;
  t.channels = frames->channels;
  t.frames = std::move(frames->frames);
  t.first_sample = std::move(frames->first_sample);
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
    meta.push_back({"audiocodecid", Value::Number(audio_codec_id(*aac))});
    meta.push_back({"audiosamplerate", Value::Number(aac->sample_rate)});
    meta.push_back({"stereo", Value::Boolean(aac->channels == 2)});
  }
  meta.push_back({"encoder", Value::String("livewasm lw-flv-mux")});
  Status s = mux.write_metadata(meta, out);
  if (s.ok()) s = mux.write_video(VideoTagHeader::enhanced_codec(codec, VideoPacketType::kSequenceStart, true), 0, ivf->config, out);
  if (s.ok() && aac) s = write_audio_start(mux, *aac, out);
  size_t v = 0, a = 0, keys = 0;
  auto video_ms = [&](size_t i) { return static_cast<uint32_t>(std::llround(i * 1000.0 / o.fps)); };
  auto audio_ms = [&](size_t i) { return track_ms(*aac, i); };
  const auto& frames = ivf->frames;
  while (s.ok() && (v < frames.size() || (aac && a < aac->frames.size()))) {
    if (v < frames.size() && (!aac || a >= aac->frames.size() || video_ms(v) <= audio_ms(a))) {
      keys += frames[v].key;
      s = mux.write_video(VideoTagHeader::enhanced_codec(codec, VideoPacketType::kCodedFrames, frames[v].key), video_ms(v),
                          frames[v].data, out);
      ++v;
    } else {
      s = write_audio_frame(mux, *aac, a, out);
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


// ---- Multitrack -------------------------------------------------------------------------------------

std::vector<std::string> split_list(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t comma = list.find(',', start);
    const size_t end = comma == std::string::npos ? list.size() : comma;
    if (end > start) out.push_back(list.substr(start, end - start));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

struct VideoInput {
  Bytes file;
  lw::flv::VideoCodec codec = lw::flv::VideoCodec::kAvc;
  lw::tools::ElementaryStream es;  // IVF frames too (config: av1C / vpcC)
  uint32_t width = 0, height = 0;
};

// The packets of one instant, one per track: a single Multitrack tag when their key flags agree (and
// the layout is not OneTrack), else one OneTrack tag per track.
template <typename Packet, typename Write>
Status write_instant(const std::vector<Packet>& packets, const std::vector<bool>& keys, lw::flv::MultitrackType layout,
                     Write write) {
  using lw::flv::MultitrackType;
  bool together = layout != MultitrackType::kOneTrack && packets.size() > 1;
  for (bool k : keys) together = together && k == keys.front();
  if (together) return write(layout, std::span<const Packet>(packets), keys.front());
  for (size_t i = 0; i < packets.size(); ++i) {
    LW_RETURN_IF_ERROR(write(MultitrackType::kOneTrack, std::span<const Packet>(&packets[i], 1), bool(keys[i])));
  }
  return Status::Ok();
}

// Reads `flv` back with split_tracks: every track's frames, in order, with their key flags and bytes.
Status check_multitrack(const Bytes& flv, const std::vector<VideoInput>& videos, const std::vector<AacTrack>& audios) {
  lw::flv::Demuxer::Options opt;
  opt.split_tracks = true;
  lw::flv::Demuxer demux(opt);
  demux.feed(flv);
  demux.finish();
  lw::flv::Event ev;
  std::vector<size_t> vgot(videos.size()), agot(audios.size()), vheads(videos.size());
  while (demux.next(&ev)) {
    if (ev.kind == lw::flv::EventKind::kWarning || ev.kind == lw::flv::EventKind::kError)
      return Status(ErrorCode::kInvalid, "demuxer: " + ev.status.to_string());
    const ByteSpan p = ev.payload();
    if (ev.kind == lw::flv::EventKind::kVideo) {
      const size_t t = ev.video.track_id;
      if (t >= videos.size()) return Status(ErrorCode::kInvalid, "video track " + std::to_string(t) + " was not written");
      if (ev.video.is_sequence_header()) {
        ++vheads[t];
        if (!std::equal(p.begin(), p.end(), videos[t].es.config.begin(), videos[t].es.config.end()))
          return Status(ErrorCode::kInvalid, "video track " + std::to_string(t) + ": sequence start differs");
        continue;
      }
      const auto& units = videos[t].es.units;
      const size_t i = vgot[t]++;
      if (i >= units.size() || ev.video.key_frame() != units[i].key ||
          !std::equal(p.begin(), p.end(), units[i].data.begin(), units[i].data.end()))
        return Status(ErrorCode::kInvalid, "video track " + std::to_string(t) + " frame " + std::to_string(i) + " differs");
    } else if (ev.kind == lw::flv::EventKind::kAudio) {
      const size_t t = ev.audio.track_id;
      if (t >= audios.size()) return Status(ErrorCode::kInvalid, "audio track " + std::to_string(t) + " was not written");
      if (ev.audio.is_sequence_header()) continue;
      const size_t i = agot[t]++;
      if (i >= audios[t].frames.size() ||
          !std::equal(p.begin(), p.end(), audios[t].frames[i].begin(), audios[t].frames[i].end()))
        return Status(ErrorCode::kInvalid, "audio track " + std::to_string(t) + " frame " + std::to_string(i) + " differs");
    }
  }
  for (size_t t = 0; t < videos.size(); ++t) {
    if (vheads[t] != 1 || vgot[t] != videos[t].es.units.size())
      return Status(ErrorCode::kInvalid, "video track " + std::to_string(t) + ": read back " + std::to_string(vgot[t]) + " frames");
  }
  for (size_t t = 0; t < audios.size(); ++t) {
    if (agot[t] != audios[t].frames.size())
      return Status(ErrorCode::kInvalid, "audio track " + std::to_string(t) + ": read back " + std::to_string(agot[t]) + " frames");
  }
  return Status::Ok();
}

int mux_multitrack(const Options& o) {
  using namespace lw::flv;
  std::vector<VideoInput> videos(o.video_tracks.size());
  for (size_t i = 0; i < videos.size(); ++i) {
    const std::string& path = o.video_tracks[i];
    auto file = read_file(path);
    if (!file) return std::fprintf(stderr, "lw-flv-mux: cannot read %s\n", path.c_str()), 66;
    videos[i].file = std::move(*file);
    if (path.ends_with(".ivf")) {  // AV1 or VP9, as the IVF header says
      auto ivf = lw::tools::parse_ivf(videos[i].file, o.fps);
      if (!ivf.ok()) return fail(Status(ivf.status().code(), path + ": " + ivf.status().reason()));
      videos[i].codec = ivf->av1 ? VideoCodec::kAv1 : VideoCodec::kVp9;
      videos[i].es.config = std::move(ivf->config);
      for (auto& f : ivf->frames) videos[i].es.units.push_back({std::move(f.data), f.key});
      videos[i].width = ivf->width;
      videos[i].height = ivf->height;
    } else {
      const bool h264 = path.ends_with(".h264") || path.ends_with(".264");
      videos[i].codec = h264 ? VideoCodec::kAvc : VideoCodec::kHevc;
      auto es = lw::tools::parse_elementary_stream(videos[i].file, !h264);
      if (!es.ok()) return fail(Status(es.status().code(), path + ": " + es.status().reason()));
      videos[i].es = std::move(es).value();
      auto size = picture_size(videos[i].es);
      if (!size.ok()) return fail(size.status());
      videos[i].width = size->first;
      videos[i].height = size->second;
    }
    if (videos[i].es.units.empty() || !videos[i].es.units[0].key)
      return fail(Status(ErrorCode::kInvalid, path + " does not start with a key frame"));
    if (o.multitrack == MultitrackType::kManyTracks && videos[i].codec != videos[0].codec)
      return usage("--video-tracks of several codecs need --multitrack many-codecs (or one)");
  }
  std::vector<Bytes> audio_files;
  for (const std::string& path : o.audio_tracks) {
    auto file = read_file(path);
    if (!file) return std::fprintf(stderr, "lw-flv-mux: cannot read %s\n", path.c_str()), 66;
    audio_files.push_back(std::move(*file));
  }
  std::vector<AacTrack> audios;
  for (const Bytes& f : audio_files) {  // frames view the files, which stay put from here on
    auto t = parse_adts(f);
    if (!t.ok()) return fail(t.status());
    if (!audios.empty() && t->sample_rate != audios.front().sample_rate)
      return fail(Status(ErrorCode::kUnsupported, "--audio-tracks: all tracks have the first one's sample rate"));
    audios.push_back(std::move(t).value());
  }
  Bytes out;
  Muxer mux;
  mux.write_header(!audios.empty(), true, out);
  using lw::amf0::Value;
  std::vector<lw::amf0::Property> meta = {{"width", Value::Number(videos[0].width)},
                                          {"height", Value::Number(videos[0].height)},
                                          {"framerate", Value::Number(o.fps)},
                                          {"videocodecid", Value::Number(double(video_codec_fourcc(videos[0].codec)))}};
  if (!audios.empty()) {
    meta.push_back({"audiocodecid", Value::Number(double(fourcc("mp4a")))});
    meta.push_back({"audiosamplerate", Value::Number(audios[0].sample_rate)});
  }
  meta.push_back({"encoder", Value::String("livewasm lw-flv-mux (multitrack)")});
  Status s = mux.write_metadata(meta, out);

  uint32_t now_ms = 0;
  const auto video_tag = [&](VideoPacketType type) {
    return [&, type](MultitrackType layout, std::span<const VideoTrackPacket> p, bool key) {
      VideoTagHeader shared;
      shared.frame_type = key ? VideoFrameType::kKey : VideoFrameType::kInter;
      shared.packet_type = type;
      shared.multitrack_type = layout;
      return mux.write_multitrack_video(shared, now_ms, p, out);
    };
  };
  const auto audio_tag = [&](AudioPacketType type) {
    return [&, type](MultitrackType layout, std::span<const AudioTrackPacket> p, bool) {
      AudioTagHeader shared;
      shared.packet_type = type;
      shared.multitrack_type = layout;
      return mux.write_multitrack_audio(shared, now_ms, p, out);
    };
  };
  {
    std::vector<VideoTrackPacket> heads;
    for (size_t t = 0; t < videos.size(); ++t) heads.push_back({uint8_t(t), videos[t].codec, 0, videos[t].es.config});
    if (s.ok()) s = write_instant(heads, std::vector<bool>(heads.size(), true), o.multitrack, video_tag(VideoPacketType::kSequenceStart));
    std::vector<AudioTrackPacket> aheads;
    for (size_t t = 0; t < audios.size(); ++t) aheads.push_back({uint8_t(t), AudioCodec::kAac, audios[t].config});
    if (s.ok() && !aheads.empty())
      s = write_instant(aheads, std::vector<bool>(aheads.size(), true), o.multitrack, audio_tag(AudioPacketType::kSequenceStart));
  }
  size_t vframes = 0, aframes = 0;
  for (const auto& v : videos) vframes = std::max(vframes, v.es.units.size());
  for (const auto& a : audios) aframes = std::max(aframes, a.frames.size());
  auto video_ms = [&](size_t i) { return static_cast<uint32_t>(std::llround(i * 1000.0 / o.fps)); };
  auto audio_ms = [&](size_t i) { return static_cast<uint32_t>(std::llround(i * 1024000.0 / audios[0].sample_rate)); };
  size_t v = 0, a = 0;
  while (s.ok() && (v < vframes || a < aframes)) {
    if (v < vframes && (a >= aframes || video_ms(v) <= audio_ms(a))) {
      std::vector<VideoTrackPacket> packets;
      std::vector<bool> keys;
      for (size_t t = 0; t < videos.size(); ++t) {
        if (v >= videos[t].es.units.size()) continue;
        packets.push_back({uint8_t(t), videos[t].codec, 0, videos[t].es.units[v].data});
        keys.push_back(videos[t].es.units[v].key);
      }
      now_ms = video_ms(v++);
      s = write_instant(packets, keys, o.multitrack, video_tag(VideoPacketType::kCodedFrames));
    } else {
      std::vector<AudioTrackPacket> packets;
      for (size_t t = 0; t < audios.size(); ++t) {
        if (a < audios[t].frames.size()) packets.push_back({uint8_t(t), AudioCodec::kAac, audios[t].frames[a]});
      }
      now_ms = audio_ms(a++);
      s = write_instant(packets, std::vector<bool>(packets.size(), true), o.multitrack, audio_tag(AudioPacketType::kCodedFrames));
    }
  }
  if (!s.ok()) return fail(s);
  if (o.check) {
    if (Status c = check_multitrack(out, videos, audios); !c.ok()) return fail(c);
  }
  std::ofstream file(o.out, std::ios::binary);
  file.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
  if (!file) return std::fprintf(stderr, "lw-flv-mux: cannot write %s\n", o.out.c_str()), 66;
  std::string vjson, ajson;
  for (size_t t = 0; t < videos.size(); ++t) {
    vjson += (t ? "," : "") + std::string("{\"id\":") + std::to_string(t) + ",\"codec\":\"" +
             std::string(video_codec_name(videos[t].codec)) + "\",\"width\":" + std::to_string(videos[t].width) +
             ",\"height\":" + std::to_string(videos[t].height) + ",\"frames\":" + std::to_string(videos[t].es.units.size()) + "}";
  }
  for (size_t t = 0; t < audios.size(); ++t) {
    ajson += (t ? "," : "") + std::string("{\"id\":") + std::to_string(t) + ",\"frames\":" + std::to_string(audios[t].frames.size()) + "}";
  }
  const char* layout = o.multitrack == MultitrackType::kManyTracks ? "many" : o.multitrack == MultitrackType::kOneTrack ? "one" : "many-codecs";
  std::printf("{\"result\":\"ok\",\"codec\":\"%s\",\"multitrack\":\"%s\",\"videoTracks\":[%s],\"audioTracks\":[%s],"
              "\"durationMs\":%u,\"bytes\":%zu}\n",
              std::string(video_codec_name(videos[0].codec)).c_str(), layout, vjson.c_str(), ajson.c_str(),
              std::max(video_ms(vframes), audios.empty() ? 0u : audio_ms(aframes)), out.size());
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
    else if (a == "--video-tracks") o.video_tracks = split_list(v);
    else if (a == "--audio-tracks") o.audio_tracks = split_list(v);
    else if (a == "--multitrack") {
      const std::string m = v;
      if (m == "many") o.multitrack = lw::flv::MultitrackType::kManyTracks;
      else if (m == "many-codecs") o.multitrack = lw::flv::MultitrackType::kManyTracksManyCodecs;
      else if (m == "one") o.multitrack = lw::flv::MultitrackType::kOneTrack;
      else return usage("--multitrack is many, many-codecs or one");
    }
    else if (a == "--audio") o.audio = v;
    else if (a == "-o" || a == "--out") o.out = v;
    else if (a == "--codec") o.codec = v;
    else if (a == "--fps") o.fps = std::atof(v);
    else if (a == "--signalling") signalling = v;
    else return usage(("unknown option " + a).c_str());
  }
  if (!(o.fps > 0 && o.fps <= 240)) return usage("--fps must be in (0, 240]");
  if (!o.video_tracks.empty()) {
    if (o.out.empty() || !o.video.empty() || !o.audio.empty()) return usage("--video-tracks goes with -o, without --video/--audio");
    if (o.video_tracks.size() > 255 || o.audio_tracks.size() > 255) return usage("at most 255 tracks");
    return mux_multitrack(o);
  }
  if (!o.audio_tracks.empty()) return usage("--audio-tracks needs --video-tracks");
  if (o.video.empty() || o.out.empty()) return usage("--video and -o are required");
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
    auto t = parse_audio(o.audio, *audio_file);
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
    meta.push_back({"audiocodecid", Value::Number(audio_codec_id(*aac))});
    meta.push_back({"audiosamplerate", Value::Number(aac->sample_rate)});
    meta.push_back({"stereo", Value::Boolean(aac->channels == 2)});
  }
  meta.push_back({"encoder", Value::String("livewasm lw-flv-mux")});
  Status s = mux.write_metadata(meta, out);
  if (s.ok()) {
    s = hevc ? mux.write_hevc_sequence_header(0, es->config, o.signalling, out)
             : mux.write_avc_sequence_header(0, es->config, out);
  }
  if (s.ok() && aac) s = write_audio_start(mux, *aac, out);

  size_t v = 0, a = 0, keys = 0;
  auto video_ms = [&](size_t i) { return static_cast<uint32_t>(std::llround(i * 1000.0 / o.fps)); };
  auto audio_ms = [&](size_t i) { return track_ms(*aac, i); };
  while (s.ok() && (v < es->units.size() || (aac && a < aac->frames.size()))) {
    const bool take_video = v < es->units.size() && (!aac || a >= aac->frames.size() || video_ms(v) <= audio_ms(a));
    if (take_video) {
      const auto& u = es->units[v];
      keys += u.key;
      s = hevc ? mux.write_hevc_frame(video_ms(v), 0, u.key, u.data, o.signalling, out)
               : mux.write_avc_frame(video_ms(v), 0, u.key, u.data, out);
      ++v;
    } else {
      s = write_audio_frame(mux, *aac, a, out);
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
