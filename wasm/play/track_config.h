// Sequence headers -> TrackConfig: the WebCodecs codec string, the FFmpeg decoder name, the size
// from the SPS (wasm/codec/ parses the records and parameter sets).
#pragma once

#include "flv/flv_tag.h"
#include "play/play_session.h"

namespace lw::play {

// False for a codec the player does not decode or a record too broken to name a codec.
bool make_video_config(flv::VideoCodec codec, ByteSpan record, TrackConfig* out);
bool make_audio_config(flv::AudioCodec codec, ByteSpan record, TrackConfig* out);

}  // namespace lw::play
