// FFmpeg's codec registry for the product modules (wasm/bindings/CMakeLists.txt): the five lookup
// functions of libavcodec/allcodecs.c over `lw_codecs`, the list a module's *_codecs.cc defines
// (pusher_codecs.cc: the AAC encoder; player_codecs.cc: the H.264, AAC and Opus decoders;
// player_hevc_codecs.cc: the HEVC decoder; player_mp3_codecs.cc: the MP3 decoder; player_vp9_codecs.cc:
// the VP9 decoder; player_flac_ac3_codecs.cc: the FLAC, AC-3 and E-AC-3 decoders).
//
// Why: allcodecs.c's list names every codec the dependency build enables, and every lookup
// (avcodec_find_*, and av_codec_iterate through avcodec_alloc_context3's AVClass) reaches it, so one
// lookup linked every codec of the build into every module. With these symbols defined here the linker
// never pulls allcodecs.o from libavcodec.a, and a module links only the codecs its list names. Same
// semantics as FFmpeg 5.1's: encoders and decoders are told apart with av_codec_is_encoder/decoder,
// experimental codecs lose to stable ones. None of the listed codecs has init_static_data (allcodecs.c
// runs it once on the first iteration), so there is no static initialisation to run; a list that adds
// a codec with one must run it here.
//
// Likewise the four functions of libavcodec/codec_desc.c over the descriptors of the codecs these
// modules can name (H.264, VP9, HEVC, MP3, AAC, AC-3, FLAC, E-AC-3, Opus; copied from FFmpeg 5.1's table), so that its table of
// ~500 codec descriptors (30 KB of names and long names, reached from avcodec_open2) stays out:
// 10 KB gzip of the player's module. Other ids have no descriptor, as ids FFmpeg does not know; every
// codec a list names must be in kDescriptors (avcodec_open2 and decode.c read its descriptor). The
// descriptors carry no `profiles` (only avcodec_profile_name() reads them; it answers NULL here), which
// keeps profiles.o out of modules whose codecs do not reference it.
//
// Likewise the three functions of libavcodec/bitstream_filters.c over `lw_bsfs` (codec_registry.h): its
// list names every bitstream filter the dependency build enables (the VP9 decoder's vp9_superframe_split
// since the VP9 module), and decode.c reaches it for every decoder (av_bsf_list_parse_str), so every module
// linked that filter: 3.3 KB of the player's wasm.
//
// And av_get_random_seed (libavutil/random_seed.c), which only av_parse_color("random") reaches in
// these modules (through av_opt's colour options; nothing here sets options from strings): FFmpeg's
// reads /dev/urandom, then falls back to hashing clock jitter, which links libavutil's SHA-1 and
// SHA-256 (5 KB gzip). This one mixes the time into a xorshift state: a seed, not a secret.
#include "bindings/codec_registry.h"

#include <cstdint>
#include <cstring>

#include <emscripten.h>

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

// Sorted by id, as FFmpeg's table (its bsearch order); FFmpeg 5.1's fields for these ids.
constexpr AVCodecDescriptor kDescriptors[] = {
    {AV_CODEC_ID_H264, AVMEDIA_TYPE_VIDEO, "h264", "H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10",
     AV_CODEC_PROP_LOSSY | AV_CODEC_PROP_LOSSLESS | AV_CODEC_PROP_REORDER, nullptr, nullptr},
    {AV_CODEC_ID_VP9, AVMEDIA_TYPE_VIDEO, "vp9", "Google VP9", AV_CODEC_PROP_LOSSY, nullptr, nullptr},
    {AV_CODEC_ID_HEVC, AVMEDIA_TYPE_VIDEO, "hevc", "H.265 / HEVC (High Efficiency Video Coding)",
     AV_CODEC_PROP_LOSSY | AV_CODEC_PROP_REORDER, nullptr, nullptr},
    {AV_CODEC_ID_MP3, AVMEDIA_TYPE_AUDIO, "mp3", "MP3 (MPEG audio layer 3)",
     AV_CODEC_PROP_INTRA_ONLY | AV_CODEC_PROP_LOSSY, nullptr, nullptr},
    {AV_CODEC_ID_AAC, AVMEDIA_TYPE_AUDIO, "aac", "AAC (Advanced Audio Coding)",
     AV_CODEC_PROP_INTRA_ONLY | AV_CODEC_PROP_LOSSY, nullptr, nullptr},
    {AV_CODEC_ID_AC3, AVMEDIA_TYPE_AUDIO, "ac3", "ATSC A/52A (AC-3)", AV_CODEC_PROP_INTRA_ONLY | AV_CODEC_PROP_LOSSY,
     nullptr, nullptr},
    {AV_CODEC_ID_FLAC, AVMEDIA_TYPE_AUDIO, "flac", "FLAC (Free Lossless Audio Codec)",
     AV_CODEC_PROP_INTRA_ONLY | AV_CODEC_PROP_LOSSLESS, nullptr, nullptr},
    {AV_CODEC_ID_EAC3, AVMEDIA_TYPE_AUDIO, "eac3", "ATSC A/52B (AC-3, E-AC-3)",
     AV_CODEC_PROP_INTRA_ONLY | AV_CODEC_PROP_LOSSY, nullptr, nullptr},
    {AV_CODEC_ID_OPUS, AVMEDIA_TYPE_AUDIO, "opus", "Opus (Opus Interactive Audio Codec)",
     AV_CODEC_PROP_INTRA_ONLY | AV_CODEC_PROP_LOSSY, nullptr, nullptr},
};
constexpr size_t kDescriptorCount = sizeof(kDescriptors) / sizeof(kDescriptors[0]);

}  // namespace

extern "C" {

const AVCodecDescriptor* avcodec_descriptor_get(AVCodecID id) {
  for (const AVCodecDescriptor& d : kDescriptors) {
    if (d.id == id) return &d;
  }
  return nullptr;
}

const AVCodecDescriptor* avcodec_descriptor_next(const AVCodecDescriptor* prev) {
  if (!prev) return &kDescriptors[0];
  const size_t i = static_cast<size_t>(prev - kDescriptors) + 1;
  return i < kDescriptorCount ? &kDescriptors[i] : nullptr;
}

const AVCodecDescriptor* avcodec_descriptor_get_by_name(const char* name) {
  for (const AVCodecDescriptor& d : kDescriptors) {
    if (name && std::strcmp(d.name, name) == 0) return &d;
  }
  return nullptr;
}

AVMediaType avcodec_get_type(AVCodecID id) {
  const AVCodecDescriptor* d = avcodec_descriptor_get(id);
  return d ? d->type : AVMEDIA_TYPE_UNKNOWN;
}

uint32_t av_get_random_seed(void) {
  static uint32_t state = 0x9e3779b9u;
  state ^= static_cast<uint32_t>(emscripten_get_now() * 1000.0);
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

const AVBitStreamFilter* av_bsf_iterate(void** opaque) {
  if (!lw_bsfs) return nullptr;
  auto i = reinterpret_cast<std::uintptr_t>(*opaque);
  const AVBitStreamFilter* f = lw_bsfs[i];
  if (f) *opaque = reinterpret_cast<void*>(i + 1);
  return f;
}

const AVBitStreamFilter* av_bsf_get_by_name(const char* name) {
  void* i = nullptr;
  for (const AVBitStreamFilter* f = av_bsf_iterate(&i); f && name; f = av_bsf_iterate(&i)) {
    if (std::strcmp(f->name, name) == 0) return f;
  }
  return nullptr;
}

const AVClass* ff_bsf_child_class_iterate(void** opaque) {
  for (const AVBitStreamFilter* f = av_bsf_iterate(opaque); f; f = av_bsf_iterate(opaque)) {
    if (f->priv_class) return f->priv_class;
  }
  return nullptr;
}

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
