// The player's renderer choice (wasm/core/play/renderer_choice.h): detection in, renderer out, and what comes
// next after each failure. Rows as the three engines present themselves (measured on this machine:
// Chromium headless and Firefox under Xvfb have WebGL2 in workers, WebKitGTK by default and headless
// Firefox have 2D only).
#include <gtest/gtest.h>

#include "play/renderer_choice.h"

namespace lw::play {
namespace {

RendererOptions detected(bool webgl2, bool canvas2d) {
  RendererOptions o;
  o.webgl2 = webgl2;
  o.canvas2d = canvas2d;
  return o;
}

TEST(RendererChoice, BestDetectedFirst) {
  EXPECT_EQ(choose_renderer(detected(true, true)), Renderer::kWebGl2);    // Chromium, Firefox + display
  EXPECT_EQ(choose_renderer(detected(false, true)), Renderer::kCanvas2d); // WebKitGTK, headless Firefox
  EXPECT_EQ(choose_renderer(detected(false, false)), Renderer::kPage);    // no OffscreenCanvas in workers
}

TEST(RendererChoice, SoftwareWebGl2GoesAfter2d) {
  RendererOptions o = detected(true, true);
  o.webgl2_software = true;  // SwiftShader (headless Chromium), llvmpipe (Firefox under Xvfb)
  EXPECT_EQ(choose_renderer(o), Renderer::kCanvas2d);
  EXPECT_EQ(choose_renderer(with_failure(o, Renderer::kCanvas2d)), Renderer::kWebGl2);
  o.canvas2d = false;
  EXPECT_EQ(choose_renderer(o), Renderer::kWebGl2);  // still better than handing pictures to the page
  o = detected(true, true);
  o.webgl2_software = true;
  o.has_preference = true;
  o.preference = Renderer::kWebGl2;  // asked for: taken, software or not
  EXPECT_EQ(choose_renderer(o), Renderer::kWebGl2);
}

TEST(RendererChoice, AVideoTrackTheEngineOffersComesFirst) {
  RendererOptions o = detected(true, true);
  o.video = true;  // Chromium with the player in the document
  EXPECT_EQ(choose_renderer(o), Renderer::kVideo);
  o.webgl2_software = true;
  EXPECT_EQ(choose_renderer(o), Renderer::kVideo);
  EXPECT_EQ(choose_renderer(with_failure(o, Renderer::kVideo)), Renderer::kCanvas2d);  // then as before
  o.has_preference = true;
  o.preference = Renderer::kCanvas2d;
  EXPECT_EQ(choose_renderer(o), Renderer::kCanvas2d);
  o = detected(false, true);
  o.has_preference = true;
  o.preference = Renderer::kVideo;  // asked for where the page cannot: the usual order
  EXPECT_EQ(choose_renderer(o), Renderer::kCanvas2d);
  Renderer r;
  ASSERT_TRUE(parse_renderer("video", &r));
  EXPECT_EQ(r, Renderer::kVideo);
  EXPECT_STREQ(renderer_name(Renderer::kVideo), "video");
}

TEST(RendererChoice, FailuresWalkDownTheOrderAndNeverComeBack) {
  RendererOptions o = detected(true, true);
  o = with_failure(o, choose_renderer(o));
  EXPECT_EQ(choose_renderer(o), Renderer::kCanvas2d);
  o = with_failure(o, choose_renderer(o));
  EXPECT_EQ(choose_renderer(o), Renderer::kPage);
  o = with_failure(o, Renderer::kPage);  // the page cannot fail over to anything: it stays the answer
  EXPECT_EQ(choose_renderer(o), Renderer::kPage);
}

TEST(RendererChoice, PreferenceWinsWhenAvailable) {
  RendererOptions o = detected(true, true);
  o.has_preference = true;
  o.preference = Renderer::kPage;
  EXPECT_EQ(choose_renderer(o), Renderer::kPage);
  o.preference = Renderer::kCanvas2d;
  EXPECT_EQ(choose_renderer(o), Renderer::kCanvas2d);
}

TEST(RendererChoice, UnavailableOrFailedPreferenceFallsBackInOrder) {
  RendererOptions o = detected(false, true);
  o.has_preference = true;
  o.preference = Renderer::kWebGl2;  // asked for, but the engine has none in workers
  EXPECT_EQ(choose_renderer(o), Renderer::kCanvas2d);
  o = detected(true, true);
  o.has_preference = true;
  o.preference = Renderer::kCanvas2d;
  o = with_failure(o, Renderer::kCanvas2d);
  EXPECT_EQ(choose_renderer(o), Renderer::kWebGl2);
}

TEST(RendererChoice, Names) {
  for (Renderer r : {Renderer::kWebGl2, Renderer::kCanvas2d, Renderer::kPage}) {
    Renderer back = Renderer::kPage;
    ASSERT_TRUE(parse_renderer(renderer_name(r), &back));
    EXPECT_EQ(back, r);
  }
  Renderer out = Renderer::kWebGl2;
  EXPECT_FALSE(parse_renderer("auto", &out));
  EXPECT_FALSE(parse_renderer("", &out));
  EXPECT_FALSE(parse_renderer("WebGL", &out));
  EXPECT_EQ(out, Renderer::kWebGl2);
}

}  // namespace
}  // namespace lw::play
