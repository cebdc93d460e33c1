// embind: the player's FFmpeg decoders (wasm/codecs/video_decoder.h, audio_decoder.h) for
// worker/player_worker.js. Packets are read where they already lie in wasm memory (decodeAt with the
// ptr/size PlaySession hands out: no JS copy); pictures and PCM come back as views of the decoders'
// own buffers, valid until the next call into the same decoder.
//
//   const vd = new core.WasmVideoDecoder();
//   vd.configure({decoder: 'h264' | 'hevc', description: Uint8Array, threads?: n}) -> {ok, error?}
//                 (threads: at most decoderInfo().threadPool, which is 1 except in livewasm_player_mt)
//   vd.decodeAt(ptr, size, ptsUs, key) -> {ok, error?}        vd.decode(uint8array, ptsUs, key) (copies)
//   let f; while ((f = vd.nextFrame())) draw(f.y, f.u, f.v, f.strideY, ...)   // I420, or null
//   vd.flush(); vd.delete();
//   const ad = new core.WasmAudioDecoder();
//   ad.configure({decoder: 'aac' | 'opus' | 'mp3' | 'alaw' | 'mulaw' | 'pcm_s16le' | 'pcm_u8', description,
//                 sampleRate, channels}) -> {ok, error?}   (G.711 and PCM: the core's RawAudioDecoder)
//   ad.decodeAt(ptr, size, ptsUs) -> {ok, error?, frames, channels, sampleRate, ptsUs, pcmPtr}
//   ad.decode(uint8array, ptsUs) -> the same plus pcm (Float32Array view, channels planes of frames)
//   Module.decoderInfo() -> {ffmpeg, avcodec, decoders: ['h264', 'aac', 'opus'] (FFmpeg's, as linked),
//                            coreDecoders: ['alaw', 'mulaw', 'pcm_s16le', 'pcm_u8'] (the core's, in every module),
//                            threadPool: 1 (livewasm_player_mt: its pthread pool, the most threads a decoder may use)}
//   Module.setDecoderLogLevel(24)   // AV_LOG_*; FFmpeg's console output, errors only (16) at start
//
// Views die when wasm memory grows: use them at once (upload, copy), never keep them.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <string>
#include <utility>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/log.h>
}

#include "bindings/js_bytes.h"
#include "bindings/js_values.h"
#include "bindings/js_video_frames.h"
#include "bindings/module_threads.h"
#include "codec/raw_audio.h"
#include "codecs/audio_decoder.h"
#include "codecs/video_decoder.h"

namespace lw::bindings {
namespace {

using emscripten::val;

ByteSpan at(uintptr_t ptr, size_t size) { return ByteSpan(reinterpret_cast<const uint8_t*>(ptr), size); }

class WasmVideoDecoder {
 public:
  val configure(const val& o) {
    const std::string decoder = get_or<std::string>(o, "decoder", "");
    const val d = o["description"];
    description_.clear();
    if (!d.isUndefined() && !d.isNull()) copy_from_js(d, &description_);
    // threads: FFmpeg's decoding threads (livewasm_player_mt; one in the other modules' builds).
    dec_.set_threads(std::min(get_or<int>(o, "threads", 1), module_threads()));
    return status_to_js(dec_.configure(decoder, as_span(description_)));
  }
  val decode_at(uintptr_t ptr, size_t size, double pts_us, bool key) {
    return status_to_js(dec_.decode(at(ptr, size), static_cast<int64_t>(pts_us), key));
  }
  val decode(const val& bytes, double pts_us, bool key) {
    copy_from_js(bytes, &scratch_);
    return status_to_js(dec_.decode(as_span(scratch_), static_cast<int64_t>(pts_us), key));
  }
  val next_frame() {
    codecs::VideoFrameView f;
    return dec_.next_frame(&f) ? video_frame_to_js(f) : val::null();
  }
  val flush() { return status_to_js(dec_.flush()); }
  val stats() { return video_decoder_stats_to_js(dec_); }

 private:
  codecs::FfmpegVideoDecoder dec_;
  Bytes description_, scratch_;
};

class WasmAudioDecoder {
 public:
  val configure(const val& o) {
    const std::string decoder = get_or<std::string>(o, "decoder", "");
    const val d = o["description"];
    description_.clear();
    if (!d.isUndefined() && !d.isNull()) copy_from_js(d, &description_);
    const int rate = get_or<int>(o, "sampleRate", 0), channels = get_or<int>(o, "channels", 0);
    codec::RawAudioFormat format;
    raw_ = codec::raw_audio_format_from_name(decoder, &format);
    if (raw_) return status_to_js(raw_dec_.configure(format, rate, channels));
    return status_to_js(dec_.configure(decoder, as_span(description_), rate, channels));
  }
  val decode_at(uintptr_t ptr, size_t size, double pts_us) {
    return block_to_js(decode_span(at(ptr, size), static_cast<int64_t>(pts_us)), false);
  }
  val decode(const val& bytes, double pts_us) {
    copy_from_js(bytes, &scratch_);
    return block_to_js(decode_span(as_span(scratch_), static_cast<int64_t>(pts_us)), true);
  }

 private:
  Result<codecs::AudioBlock> decode_span(ByteSpan packet, int64_t pts_us) {
    if (!raw_) return dec_.decode(packet, pts_us);
    auto r = raw_dec_.decode(packet);
    if (!r.ok()) return r.status();
    return codecs::AudioBlock{pts_us, r->frames, r->channels, r->sample_rate, r->planar};
  }

  static val block_to_js(const Result<codecs::AudioBlock>& r, bool with_view) {
    val o = status_to_js(r.status());
    o.set("ok", r.ok());
    if (!r.ok()) return o;
    o.set("frames", r->frames);
    o.set("channels", r->channels);
    o.set("sampleRate", r->sample_rate);
    o.set("ptsUs", static_cast<double>(r->pts_us));
    o.set("pcmPtr", reinterpret_cast<uintptr_t>(r->planar));
    if (with_view)
      o.set("pcm", val(emscripten::typed_memory_view(static_cast<size_t>(r->frames) * r->channels, r->planar)));
    return o;
  }

  codecs::FfmpegAudioDecoder dec_;
  codec::RawAudioDecoder raw_dec_;
  bool raw_ = false;  // configured for a format of raw_dec_'s
  Bytes description_, scratch_;
};

val decoder_info() {
  val o = val::object();
  o.set("ffmpeg", std::string(av_version_info()));
  const unsigned v = avcodec_version();
  o.set("avcodec", std::to_string(v >> 16) + "." + std::to_string((v >> 8) & 0xff) + "." + std::to_string(v & 0xff));
  val list = val::array();
  // FFmpeg's, by codec id (the MP3 decoder's own name is mp3float).
  const std::pair<const char*, AVCodecID> ffmpeg[] = {{"h264", AV_CODEC_ID_H264}, {"hevc", AV_CODEC_ID_HEVC},
                                                      {"aac", AV_CODEC_ID_AAC}, {"opus", AV_CODEC_ID_OPUS},
                                                      {"mp3", AV_CODEC_ID_MP3}, {"vp9", AV_CODEC_ID_VP9},
                                                      {"flac", AV_CODEC_ID_FLAC}, {"ac3", AV_CODEC_ID_AC3},
                                                      {"eac3", AV_CODEC_ID_EAC3}};
  for (const auto& [name, id] : ffmpeg)
    if (avcodec_find_decoder(id)) list.call<void>("push", std::string(name));
  o.set("decoders", list);
  val core = val::array();
  for (const char* name : {"alaw", "mulaw", "pcm_s16le", "pcm_u8"}) core.call<void>("push", std::string(name));
  o.set("coreDecoders", core);
  // The most decoding threads a decoder of this module may run: its pthread pool (livewasm_player_mt), 1 in
  // the single-threaded modules.
  o.set("threadPool", module_threads());
  return o;
}

}  // namespace
}  // namespace lw::bindings

EMSCRIPTEN_BINDINGS(livewasm_decoders) {
  using namespace emscripten;
  using lw::bindings::WasmAudioDecoder;
  using lw::bindings::WasmVideoDecoder;

  class_<WasmVideoDecoder>("WasmVideoDecoder")
      .constructor<>()
      .function("configure", &WasmVideoDecoder::configure)
      .function("decodeAt", &WasmVideoDecoder::decode_at)
      .function("decode", &WasmVideoDecoder::decode)
      .function("nextFrame", &WasmVideoDecoder::next_frame)
      .function("flush", &WasmVideoDecoder::flush)
      .function("stats", &WasmVideoDecoder::stats);
  class_<WasmAudioDecoder>("WasmAudioDecoder")
      .constructor<>()
      .function("configure", &WasmAudioDecoder::configure)
      .function("decodeAt", &WasmAudioDecoder::decode_at)
      .function("decode", &WasmAudioDecoder::decode);
  function("decoderInfo", &lw::bindings::decoder_info);
  // The player module has no core_bindings.cc (which does the same for the full module): a corrupt
  // stream logs FFmpeg's errors, not its info chatter.
  av_log_set_level(AV_LOG_ERROR);
  function("setDecoderLogLevel", +[](int level) { av_log_set_level(level); });
}
