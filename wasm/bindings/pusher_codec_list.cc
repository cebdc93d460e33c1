// FFmpeg's codec registry for the pusher's module only (wasm/bindings/CMakeLists.txt): the five lookup
// functions of libavcodec/allcodecs.c over a list that holds the AAC encoder and nothing else.
//
// Why: allcodecs.c's list names every codec the dependency build enables (the player's H.264, HEVC,
// AAC and Opus decoders too), and every lookup (avcodec_find_encoder_by_name, and av_codec_iterate
// through avcodec_alloc_context3's AVClass) reaches it, so linking FFmpeg for the AAC encoder alone
// linked all the decoders. With these symbols defined here the linker never pulls allcodecs.o from
// libavcodec.a. Same semantics as FFmpeg 5.1's: encoders and decoders are told apart with
// av_codec_is_encoder/decoder, experimental codecs lose to stable ones. The AAC encoder has no
// init_static_data, so there is no static initialisation to run.
extern "C" {
#include <libavcodec/avcodec.h>
}

#include <cstdint>
#include <cstring>

// An FFCodec (libavcodec/codec_internal.h, not installed) whose first member is the public AVCodec.
extern "C" const AVCodec ff_aac_encoder;

namespace {

const AVCodec* const kCodecs[] = {&ff_aac_encoder, nullptr};

const AVCodec* find_codec(AVCodecID id, int (*is_kind)(const AVCodec*)) {
  const AVCodec* experimental = nullptr;
  for (const AVCodec* const* c = kCodecs; *c; ++c) {
    if (!is_kind(*c) || (*c)->id != id) continue;
    if (!((*c)->capabilities & AV_CODEC_CAP_EXPERIMENTAL)) return *c;
    if (!experimental) experimental = *c;
  }
  return experimental;
}

const AVCodec* find_codec_by_name(const char* name, int (*is_kind)(const AVCodec*)) {
  if (!name) return nullptr;
  for (const AVCodec* const* c = kCodecs; *c; ++c) {
    if (is_kind(*c) && std::strcmp(name, (*c)->name) == 0) return *c;
  }
  return nullptr;
}

}  // namespace

extern "C" {

const AVCodec* av_codec_iterate(void** opaque) {
  auto i = reinterpret_cast<std::uintptr_t>(*opaque);
  const AVCodec* c = kCodecs[i];
  if (c) *opaque = reinterpret_cast<void*>(i + 1);
  return c;
}

const AVCodec* avcodec_find_encoder(AVCodecID id) { return find_codec(id, av_codec_is_encoder); }
const AVCodec* avcodec_find_decoder(AVCodecID id) { return find_codec(id, av_codec_is_decoder); }
const AVCodec* avcodec_find_encoder_by_name(const char* name) { return find_codec_by_name(name, av_codec_is_encoder); }
const AVCodec* avcodec_find_decoder_by_name(const char* name) { return find_codec_by_name(name, av_codec_is_decoder); }

}  // extern "C"
