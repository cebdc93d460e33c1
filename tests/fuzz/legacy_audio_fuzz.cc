// Fuzz target for the legacy FLV sound formats (issue 19): an audio tag body through the tag-header
// parser, make_audio_config_from_frame (MP3's frame header included) and, for the formats the core
// decodes (G.711, PCM), the RawAudioDecoder the configuration names. And the Enhanced RTMP FourCC audio
// configured from a record or a frame: FLAC's STREAMINFO (make_audio_config, whose description must
// parse again as the same config) and AC-3 / E-AC-3 syncframe headers. Must never crash or read out of
// bounds; a configuration it makes must be one the decoder accepts, and every decoded sample lies in
// [-1, 1].
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "codec/ac3_header.h"
#include "codec/flac_config.h"
#include "codec/mp3_header.h"
#include "codec/raw_audio.h"
#include "flv/flv_tag_header.h"
#include "play/track_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lw;
  const ByteSpan body(data, size);
  (void)codec::parse_mp3_header(body);
  if (auto a = codec::parse_ac3_header(body); a.ok() && (a->channels < 1 || a->channels > 6 || a->frame_bytes < 2)) std::abort();
  if (auto f = codec::parse_flac_config(body); f.ok()) {
    auto again = codec::parse_flac_config(as_span(f->description));
    if (!again.ok() || again->sample_rate != f->sample_rate || again->channels != f->channels || again->description != f->description)
      std::abort();
  }
  auto h = flv::parse_audio_tag_header(body);
  if (!h.ok()) return 0;
  play::TrackConfig c;
  if (h->is_sequence_header()) {
    (void)play::make_audio_config(h->codec, body.subspan(std::min(h->payload_offset, size)), &c);
    return 0;
  }
  if (!play::make_audio_config_from_frame(*h, body.subspan(std::min(h->payload_offset, size)), &c)) return 0;
  codec::RawAudioFormat format;
  if (!codec::raw_audio_format_from_name(c.decoder, &format)) return 0;
  codec::RawAudioDecoder dec;
  if (!dec.configure(format, c.sample_rate, c.channels).ok()) std::abort();
  auto b = dec.decode(body.subspan(std::min(h->payload_offset, size)));
  if (!b.ok()) return 0;
  for (int i = 0; i < b->frames * b->channels; ++i) {
    if (!(std::fabs(b->planar[i]) <= 1.0f)) std::abort();
  }
  return 0;
}
