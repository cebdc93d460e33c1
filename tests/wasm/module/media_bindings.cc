// embind: the codec round trips of wasm/codecs/ (proofs that OpenH264, FFmpeg, libopus and libyuv
// work in this build). Options are plain objects; start from the defaults:
//
//   Module.h264RoundTrip({...Module.defaultVideoRoundTripOptions(), bitrate: 1e6})
//     -> {ok: true, psnrYAvg: 41.2, decodedFrames: 30, ...} | {ok: false, error: "kInvalid: ..."}
//   Module.aacRoundTrip(Module.defaultAudioRoundTripOptions())   -> {ok, match: {correlation, ...}}
//   Module.opusRoundTrip(Module.defaultAudioRoundTripOptions())
//   Module.resampleSine(Module.defaultResampleOptions())
//   Module.decodeAnnexB('hevc', uint8array)                      -> {ok, frames, width, height, ...}
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "bindings/js_bytes.h"
#include "round_trip/audio_round_trip.h"
#include "round_trip/video_round_trip.h"

namespace lw::bindings {
namespace {

using emscripten::val;

// A Result as a JS object: the value's fields plus ok: true, or {ok: false, error}.
template <class T>
val to_js(const Result<T>& r) {
  if (!r.ok()) {
    val o = val::object();
    o.set("ok", false);
    o.set("error", r.status().to_string());
    return o;
  }
  val o(r.value());
  o.set("ok", true);
  return o;
}

codecs::VideoRoundTripOptions default_video_options() { return {}; }
codecs::AudioRoundTripOptions default_audio_options() { return {}; }
codecs::ResampleOptions default_resample_options() { return {}; }

val js_h264_round_trip(const codecs::VideoRoundTripOptions& o) { return to_js(codecs::h264_round_trip(o)); }
val js_aac_round_trip(const codecs::AudioRoundTripOptions& o) { return to_js(codecs::aac_round_trip(o)); }
val js_opus_round_trip(const codecs::AudioRoundTripOptions& o) { return to_js(codecs::opus_round_trip(o)); }
val js_resample_sine(const codecs::ResampleOptions& o) { return to_js(codecs::resample_sine(o)); }

val js_decode_annexb(const std::string& codec, const val& bytes) {
  Bytes data;
  copy_from_js(bytes, &data);
  return to_js(codecs::decode_annexb(codec, as_span(data)));
}

}  // namespace
}  // namespace lw::bindings

EMSCRIPTEN_BINDINGS(livewasm_media) {
  using namespace emscripten;
  using namespace lw::codecs;
  using namespace lw::bindings;

  value_object<VideoRoundTripOptions>("VideoRoundTripOptions")
      .field("width", &VideoRoundTripOptions::width)
      .field("height", &VideoRoundTripOptions::height)
      .field("frames", &VideoRoundTripOptions::frames)
      .field("bitrate", &VideoRoundTripOptions::bitrate)
      .field("fps", &VideoRoundTripOptions::fps)
      .field("intraPeriod", &VideoRoundTripOptions::intra_period)
      .field("decoder", &VideoRoundTripOptions::decoder);
  value_object<VideoRoundTripResult>("VideoRoundTripResult")
      .field("encoder", &VideoRoundTripResult::encoder)
      .field("decoder", &VideoRoundTripResult::decoder)
      .field("encodedFrames", &VideoRoundTripResult::encoded_frames)
      .field("idrFrames", &VideoRoundTripResult::idr_frames)
      .field("encodedBytes", &VideoRoundTripResult::encoded_bytes)
      .field("decodedFrames", &VideoRoundTripResult::decoded_frames)
      .field("decodedWidth", &VideoRoundTripResult::decoded_width)
      .field("decodedHeight", &VideoRoundTripResult::decoded_height)
      .field("psnrYAvg", &VideoRoundTripResult::psnr_y_avg)
      .field("psnrYMin", &VideoRoundTripResult::psnr_y_min)
      .field("psnrAvg", &VideoRoundTripResult::psnr_avg);
  value_object<DecodeResult>("DecodeResult")
      .field("decoder", &DecodeResult::decoder)
      .field("packets", &DecodeResult::packets)
      .field("frames", &DecodeResult::frames)
      .field("width", &DecodeResult::width)
      .field("height", &DecodeResult::height)
      .field("checksum", &DecodeResult::checksum);

  value_object<AudioRoundTripOptions>("AudioRoundTripOptions")
      .field("sampleRate", &AudioRoundTripOptions::sample_rate)
      .field("channels", &AudioRoundTripOptions::channels)
      .field("bitrate", &AudioRoundTripOptions::bitrate)
      .field("frequencyHz", &AudioRoundTripOptions::frequency_hz)
      .field("seconds", &AudioRoundTripOptions::seconds);
  value_object<SignalMatch>("SignalMatch")
      .field("correlation", &SignalMatch::correlation)
      .field("delay", &SignalMatch::delay)
      .field("gain", &SignalMatch::gain)
      .field("snrDb", &SignalMatch::snr_db);
  value_object<AudioRoundTripResult>("AudioRoundTripResult")
      .field("encoder", &AudioRoundTripResult::encoder)
      .field("decoder", &AudioRoundTripResult::decoder)
      .field("inputSamples", &AudioRoundTripResult::input_samples)
      .field("packets", &AudioRoundTripResult::packets)
      .field("encodedBytes", &AudioRoundTripResult::encoded_bytes)
      .field("decodedSamples", &AudioRoundTripResult::decoded_samples)
      .field("decodedRate", &AudioRoundTripResult::decoded_rate)
      .field("decodedChannels", &AudioRoundTripResult::decoded_channels)
      .field("match", &AudioRoundTripResult::match);
  value_object<ResampleOptions>("ResampleOptions")
      .field("inRate", &ResampleOptions::in_rate)
      .field("outRate", &ResampleOptions::out_rate)
      .field("frequencyHz", &ResampleOptions::frequency_hz)
      .field("seconds", &ResampleOptions::seconds);
  value_object<ResampleResult>("ResampleResult")
      .field("inputSamples", &ResampleResult::input_samples)
      .field("outputSamples", &ResampleResult::output_samples)
      .field("expectedSamples", &ResampleResult::expected_samples)
      .field("match", &ResampleResult::match);

  function("defaultVideoRoundTripOptions", &default_video_options);
  function("defaultAudioRoundTripOptions", &default_audio_options);
  function("defaultResampleOptions", &default_resample_options);
  function("h264RoundTrip", &js_h264_round_trip);
  function("aacRoundTrip", &js_aac_round_trip);
  function("opusRoundTrip", &js_opus_round_trip);
  function("resampleSine", &js_resample_sine);
  function("decodeAnnexB", &js_decode_annexb);
}
