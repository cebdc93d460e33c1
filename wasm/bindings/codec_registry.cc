// FFmpeg's codec registry for the product modules (wasm/bindings/CMakeLists.txt): the five lookup
// functions of libavcodec/allcodecs.c over `lw_codecs`, the list a module's *_codecs.cc defines
// (pusher_codecs.cc: the AAC encoder; player_codecs.cc: the H.264, AAC and Opus decoders;
// player_hevc_codecs.cc: the HEVC decoder).
//
// Why: allcodecs.c's list names every codec the dependency build enables, and every lookup
// (avcodec_find_*, and av_codec_iterate through avcodec_alloc_context3's AVClass) reaches it, so one
// lookup linked every codec of the build into every module. With these symbols defined here the linker
// never pulls allcodecs.o from libavcodec.a, and a module links only the codecs its list names. Same
// semantics as FFmpeg 5.1's: encoders and decoders are told apart with av_codec_is_encoder/decoder,
// experimental codecs lose to stable ones. None of the listed codecs has init_static_data (allcodecs.c
// runs it once on the first iteration), so there is no static initialisation to run; a list that adds
// a codec with one must run it here.
#include "bindings/codec_registry.h"

#include <cstdint>
#include <cstring>

namespace {

const AVCodec* find_codec(AVCodecID id, int (*is_kind)(const AVCodec*)) {
  const AVCodec* experimental = nullptr;
  for (const AVCodec* const* c = lw_codecs; *c; ++c) {
    if (!is_kind(*c) || (*c)->id != id) continue;
    if (!((*c)->capabilities & AV_CODEC_CAP_EXPERIMENTAL)) return *c;
    if (!experimental) experimental = *c;
  }
  return experimental;
}

const AVCodec* find_codec_by_name(const char* name, int (*is_kind)(const AVCodec*)) {
  if (!name) return nullptr;
  for (const AVCodec* const* c = lw_codecs; *c; ++c) {
    if (is_kind(*c) && std::strcmp(name, (*c)->name) == 0) return *c;
  }
  return nullptr;
}

}  // namespace

extern "C" {

const AVCodec* av_codec_iterate(void** opaque) {
  auto i = reinterpret_cast<std::uintptr_t>(*opaque);
  const AVCodec* c = lw_codecs[i];
  if (c) *opaque = reinterpret_cast<void*>(i + 1);
  return c;
}

const AVCodec* avcodec_find_encoder(AVCodecID id) { return find_codec(id, av_codec_is_encoder); }
const AVCodec* avcodec_find_decoder(AVCodecID id) { return find_codec(id, av_codec_is_decoder); }
const AVCodec* avcodec_find_encoder_by_name(const char* name) { return find_codec_by_name(name, av_codec_is_encoder); }
const AVCodec* avcodec_find_decoder_by_name(const char* name) { return find_codec_by_name(name, av_codec_is_decoder); }

}  // extern "C"
