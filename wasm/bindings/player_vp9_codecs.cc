// The codecs of the VP9 module (livewasm_player_vp9): FFmpeg's VP9 decoder alone (with the
// vp9_superframe_split bitstream filter it runs its packets through). The player's module
// (player_codecs.cc) leaves it out: VP9 comes only in Enhanced RTMP ('vp09') and WebCodecs decodes it
// in every browser that has VideoDecoder, so worker/video_decode_path.js loads this module beside the
// player's only for a VP9 stream it decodes in wasm, and uses its WasmVideoDecoder (codec_registry.cc
// serves FFmpeg's lookups from this list).
#include "bindings/codec_registry.h"

extern "C" const AVCodec* const lw_codecs[] = {&ff_vp9_decoder, nullptr};
extern "C" const AVBitStreamFilter* const lw_bsfs[] = {&ff_vp9_superframe_split_bsf, nullptr};
