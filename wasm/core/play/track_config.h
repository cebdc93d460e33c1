// Sequence headers -> TrackConfig: the WebCodecs codec string, the FFmpeg decoder name, the size
// from the SPS (wasm/core/codec/ parses the records and parameter sets). The legacy audio formats that have
// no sequence header (G.711, linear PCM, MP3) get theirs from each coded frame's tag header (and, for
// MP3, the frame's own header): make_audio_config_from_frame.
#pragma once

#include "flv/flv_tag.h"
#include "play/play_session.h"

namespace lw::play {

// False for a codec the player does not decode or a record too broken to name a codec.
bool make_video_config(flv::VideoCodec codec, ByteSpan record, TrackConfig* out);
bool make_audio_config(flv::AudioCodec codec, ByteSpan record, TrackConfig* out);

// True for the audio codecs whose configuration comes in a sequence header (AAC, Opus, ...), false for
// those configured from every frame (make_audio_config_from_frame).
bool audio_config_in_sequence_header(flv::AudioCodec codec);

// G.711 A-law/µ-law (8 kHz, "alaw"/"ulaw"), linear PCM (SoundFormat 0 and 3: "pcm-u8"/"pcm-s16",
// the legacy rate), MP3 (2 and 14, "mp3": rate and channels from the MPEG audio header). `decoder`:
// "alaw", "mulaw", "pcm_u8", "pcm_s16le" (the core's RawAudioDecoder) or "mp3" (FFmpeg). Enhanced RTMP's
// 'ac-3' / 'ec-3' ("ac-3" / "ec-3", decoder "ac3" / "eac3": rate and channels from the syncframe header).
// False for any other codec (the caller reports it once: unsupported_audio_reason).
bool make_audio_config_from_frame(const flv::AudioTagHeader& header, ByteSpan payload, TrackConfig* out);

// "Nellymoser (FLV SoundFormat 6)": the codec named for the 2102 notice of a codec not played.
std::string unsupported_audio_name(const flv::AudioTagHeader& header);
// "Sorenson H.263 (FLV CodecID 2)", "'vp08' (Enhanced RTMP video FourCC)": the codec named for the 2101
// notice of a video codec not played.
std::string unsupported_video_name(const flv::VideoTagHeader& header);

}  // namespace lw::play
