#include "play/renderer_choice.h"

#include <array>

namespace lw::play {
namespace {

bool usable(const RendererOptions& o, Renderer r) {
  if (o.failed & (1u << static_cast<unsigned>(r))) return false;
  switch (r) {
    case Renderer::kWebGl2: return o.webgl2;
    case Renderer::kCanvas2d: return o.canvas2d;
    case Renderer::kPage: return true;
    case Renderer::kVideo: return o.video;
  }
  return false;
}

}  // namespace

const char* renderer_name(Renderer r) {
  switch (r) {
    case Renderer::kWebGl2: return "webgl2";
    case Renderer::kCanvas2d: return "2d";
    case Renderer::kPage: return "page";
    case Renderer::kVideo: return "video";
  }
  return "page";
}

bool parse_renderer(std::string_view name, Renderer* out) {
  if (name == "webgl2") *out = Renderer::kWebGl2;
  else if (name == "2d") *out = Renderer::kCanvas2d;
  else if (name == "page") *out = Renderer::kPage;
  else if (name == "video") *out = Renderer::kVideo;
  else return false;
  return true;
}

Renderer choose_renderer(const RendererOptions& o) {
  if (o.has_preference && usable(o, o.preference)) return o.preference;
  using Order = std::array<Renderer, 3>;
  const Order order = o.webgl2_software ? Order{Renderer::kVideo, Renderer::kCanvas2d, Renderer::kWebGl2}
                                        : Order{Renderer::kVideo, Renderer::kWebGl2, Renderer::kCanvas2d};
  for (Renderer r : order) {
    if (usable(o, r)) return r;
  }
  return Renderer::kPage;
}

}  // namespace lw::play
