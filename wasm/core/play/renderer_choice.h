// Which renderer puts the player's pictures on the screen, and which comes next when one fails. The
// worker detects what the engine offers (a WebGL2 or 2D context on an OffscreenCanvas inside the worker)
// and reports failures; this decides. The order, best first:
//
//   video   a <video> in the page showing a MediaStreamTrackGenerator's track; the page hands its
//           writable to the worker, which writes each due VideoFrame to it (wasm I420 wrapped in one).
//           No canvas draws the picture: the compositor converts and scales it, as it does for
//           MSE video. Offered by the page where the engine has the generator (Chromium) and the
//           player is in the document, to at most 4 players per core (js-api/video_track_surface.js:
//           each frame passes through the page's main thread, with no backpressure). Measured in headless Chromium 156 on 2 cores, one 720p30
//           WebCodecs player: 0.39 cores against 0.45 (2d) and 0.52 (page), the worker thread 0.07
//           against 0.20 (bench/RESULTS.md, Player cost).
//   webgl2  WebGL2 on the worker's OffscreenCanvas: wasm I420 planes uploaded as three R8 textures and
//           converted in the shader; WebCodecs VideoFrames uploaded as one texture.
//   2d      a 2D OffscreenCanvas in the worker: drawImage of a VideoFrame (wasm I420 is wrapped in one).
//           WebKit gives no WebGL in workers by default; headless Firefox gives no WebGL at all.
//   page    the worker hands each picture (a VideoFrame, transferred) to the page, which draws it on
//           its own canvas: for engines with no OffscreenCanvas context in workers.
//
// WebGL2 drawn in software (SwiftShader, llvmpipe: no GPU, or one the browser refuses) goes after 2D:
// measured in headless Chromium 156 on 2 cores, one 720p30 H.264 player (bench/RESULTS.md, Player cost),
// WebCodecs frames cost 0.67 cores with software WebGL2 (24 fps shown) against 0.45 with 2D (29 fps);
// wasm I420 0.56 against 0.50. With a GPU both are GPU work and WebGL2 keeps its place.
//
// A preference (configure({renderer})) moves one renderer to the front; a renderer that failed is
// never chosen again for that player. `page` needs nothing from the worker, so a choice always exists.
#pragma once

#include <cstdint>
#include <string_view>

namespace lw::play {

enum class Renderer : uint8_t { kWebGl2, kCanvas2d, kPage, kVideo };
const char* renderer_name(Renderer r);
// "video", "webgl2", "2d", "page"; anything else (including "auto" and "") is no preference.
bool parse_renderer(std::string_view name, Renderer* out);

struct RendererOptions {
  bool video = false;         // the page can show a generated video track in a <video>
  bool webgl2 = false;        // a WebGL2 context can be made on an OffscreenCanvas in the worker
  bool webgl2_software = false;  // ... and it is rasterised on the CPU (its renderer string says so)
  bool canvas2d = false;      // a 2D context can be made on an OffscreenCanvas in the worker
  bool has_preference = false;
  Renderer preference = Renderer::kWebGl2;
  uint8_t failed = 0;         // bit (1 << Renderer) for each renderer that failed in this player
};

// The renderer to use: the preferred one when it is available and has not failed, else the first of
// video, webgl2, 2d, page that is; always a renderer (page needs nothing of the worker).
Renderer choose_renderer(const RendererOptions& o);

// `o` with `failed` marked, for the next choose_renderer.
inline RendererOptions with_failure(RendererOptions o, Renderer failed) {
  o.failed = static_cast<uint8_t>(o.failed | (1u << static_cast<unsigned>(failed)));
  return o;
}

}  // namespace lw::play
