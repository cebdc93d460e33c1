// embind: the links' reconnect rule (wasm/core/push/reconnect_policy.h) for worker/push_link.js and
// worker/play_source.js, which keep the sockets and timers and ask it what to do:
//
//   const policy = new core.ReconnectPolicy('pusher');   // or 'player'
//   policy.connecting(); policy.status(code); policy.began();
//   policy.closed(nowMs, closeCode) -> {retry, failureCode, code, fatal, attempt, retries, delayMs, retryAtMs}
//   policy.unusable() -> the same, retry false
//   policy.delete();
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

#include "push/reconnect_policy.h"

namespace lw::bindings {
namespace {

using emscripten::val;

val verdict_to_js(const push::ReconnectVerdict& v) {
  val o = val::object();
  o.set("retry", v.retry);
  o.set("failureCode", v.failure_code);
  o.set("code", v.code);
  o.set("fatal", v.fatal);
  o.set("attempt", v.attempt);
  o.set("retries", v.retries);
  o.set("delayMs", v.delay_ms);
  o.set("retryAtMs", v.retry_at_ms);
  return o;
}

class JsReconnectPolicy {
 public:
  explicit JsReconnectPolicy(const std::string& role)
      : policy_(role == "player" ? push::LinkRole::kPlayer : push::LinkRole::kPusher) {}
  void connecting() { policy_.connecting(); }
  void status(int code) { policy_.status(code); }
  void began() { policy_.began(); }
  val closed(double now_ms, int close) { return verdict_to_js(policy_.closed(now_ms, close)); }
  val unusable() { return verdict_to_js(policy_.unusable()); }
  int failures() const { return policy_.failures(); }

 private:
  push::ReconnectPolicy policy_;
};

}  // namespace
}  // namespace lw::bindings

EMSCRIPTEN_BINDINGS(livewasm_reconnect) {
  using namespace emscripten;
  using lw::bindings::JsReconnectPolicy;
  class_<JsReconnectPolicy>("ReconnectPolicy")
      .constructor<std::string>()
      .function("connecting", &JsReconnectPolicy::connecting)
      .function("status", &JsReconnectPolicy::status)
      .function("began", &JsReconnectPolicy::began)
      .function("closed", &JsReconnectPolicy::closed)
      .function("unusable", &JsReconnectPolicy::unusable)
      .function("failures", &JsReconnectPolicy::failures);
}
