// What the pusher needs to mux a browser encoder's output for each codec (push/push_muxer.h VideoKind),
// beside the session that uses it (push/push_session.h write_encoded_video):
//   - the decoder configuration record when the encoder gives none: WebCodecs' AV1 and VP9 encoders
//     (Chromium 1xx, libaom / libvpx) give no decoderConfig.description, so the av1C comes from the
//     Sequence Header OBU the key frame's temporal unit carries (codec/av1_config.h make_av1_config, as
//     FFmpeg's ff_isom_write_av1c) and the vpcC from the key frame's uncompressed header
//     (codec/vp9_config.h); H.264 and HEVC need the encoder's avcC / hvcC;
//   - the temporal unit as FLV carries it: AV1's Temporal Delimiter OBUs left out (the AV1 ISOBMFF
//     binding 2.4, which Enhanced RTMP follows for 'av01': "Temporal Delimiter OBUs should be removed").
//     Chromium's encoder begins every chunk with one (12 00: type 2, size 0).
#pragma once

#include "base/bytes.h"
#include "base/status.h"
#include "push/push_muxer.h"

namespace lw::push {

// The record for a key frame's `frame` (as the encoder gave it). kUnsupported for H.264 and HEVC (the
// encoder must give the record), kInvalid when the frame holds none (an AV1 key frame without a
// Sequence Header OBU, a VP9 frame that is not a key frame).
Result<Bytes> record_from_key_frame(VideoKind kind, ByteSpan frame, int width, int height, double fps);

// `frame` as the FLV payload: for AV1 without its leading Temporal Delimiter OBUs (a view, no copy);
// other codecs as they are. An AV1 unit that does not parse is left as it is (the player reports it).
ByteSpan flv_payload(VideoKind kind, ByteSpan frame);

}  // namespace lw::push
