// The reconnect rule both workers ask (wasm/core/push/reconnect_policy.h): retries, backoff, the count's
// reset, the closes that stop at once, and the codes each side raises.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "push/reconnect_policy.h"
#include "test_vectors.h"

namespace lw::push {
namespace {

TEST(ReconnectPolicy, ThreeReconnectsOneTwoFourSecondsThenThePusherStopsWith1307) {
  ReconnectPolicy p(LinkRole::kPusher);
  p.connecting();
  double now = 10'000;
  const int delays[] = {1000, 2000, 4000};
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    const ReconnectVerdict v = p.closed(now, 1006);
    EXPECT_TRUE(v.retry);
    EXPECT_EQ(v.code, 1102);
    EXPECT_EQ(v.attempt, i + 1);
    EXPECT_EQ(v.retries, 3);
    EXPECT_EQ(v.delay_ms, delays[i]);
    EXPECT_EQ(v.retry_at_ms, now + delays[i]);
    EXPECT_EQ(v.failure_code, 3002) << "never began: the connection failed";
    now = v.retry_at_ms;
    p.connecting();
  }
  const ReconnectVerdict last = p.closed(now, 1006);
  EXPECT_FALSE(last.retry);
  EXPECT_EQ(last.code, -1307);
  EXPECT_FALSE(last.fatal);
  EXPECT_EQ(last.failure_code, 3002);
  EXPECT_TRUE(p.stopped());
  EXPECT_EQ(p.closed(now + 1, 1006).code, -1307) << "a stopped link stays stopped";
}

TEST(ReconnectPolicy, ThePlayerRetriesWith2103AndStopsWith2301) {
  ReconnectPolicy p(LinkRole::kPlayer);
  for (int i = 0; i < 3; ++i) {
    p.connecting();
    const ReconnectVerdict v = p.closed(0, 0);  // a fetch that ended
    EXPECT_TRUE(v.retry);
    EXPECT_EQ(v.code, 2103);
    EXPECT_EQ(v.failure_code, 0) << "the player raises no 3xxx itself";
  }
  p.connecting();
  EXPECT_EQ(p.closed(0, 0).code, -2301);
}

TEST(ReconnectPolicy, AStreamThatBeganResetsTheCount) {
  ReconnectPolicy pusher(LinkRole::kPusher);
  ReconnectPolicy player(LinkRole::kPlayer);
  for (int round = 0; round < 5; ++round) {
    SCOPED_TRACE(round);
    pusher.connecting();
    pusher.status(1001);
    pusher.status(1002);
    const ReconnectVerdict v = pusher.closed(0, 1006);
    EXPECT_EQ(v.attempt, 1);
    EXPECT_EQ(v.delay_ms, 1000);
    EXPECT_EQ(v.failure_code, 3005) << "the push had begun";
    player.connecting();
    player.status(2001);
    player.status(2002);
    EXPECT_EQ(player.closed(0, 1006).attempt, 1);
    player.connecting();
    player.began();  // a direct source's media
    EXPECT_EQ(player.closed(0, 0).attempt, 1);
  }
  pusher.connecting();
  pusher.status(1001);  // connected, never published: the count goes on
  EXPECT_EQ(pusher.closed(0, 1006).attempt, 2);
}

TEST(ReconnectPolicy, TheGatewaysOwnFailureStatusIsNotNamedTwice) {
  for (int status : {3001, 3002, 3003, 3004, 3005}) {
    ReconnectPolicy p(LinkRole::kPusher);
    p.connecting();
    p.status(status);
    EXPECT_EQ(p.closed(0, 1000).failure_code, 0) << status;
    p.connecting();
    EXPECT_EQ(p.closed(0, 1006).failure_code, 3002) << "the next connection said nothing";
  }
}

TEST(ReconnectPolicy, ClosesNoRetryCanFixStopAtOnce) {
  using namespace close_code;
  for (int c : {kBadRequest, kOriginNotAllowed, kUpstreamNotAllowed, kBadControlMessage, kUnsupportedData,
                kPolicyViolation}) {
    SCOPED_TRACE(c);
    ReconnectPolicy pusher(LinkRole::kPusher);
    const ReconnectVerdict v = pusher.closed(0, c);
    EXPECT_FALSE(v.retry);
    EXPECT_TRUE(v.fatal);
    EXPECT_EQ(v.code, -1307);
    EXPECT_EQ(v.failure_code, 0);
    ReconnectPolicy player(LinkRole::kPlayer);
    EXPECT_EQ(player.closed(0, c).code, -2301);
  }
  // Not FLV, a message too big: the pusher's own bytes were refused; the player sends none, so it retries.
  for (int c : {kNotFlv, kMessageTooBig}) {
    SCOPED_TRACE(c);
    EXPECT_EQ(ReconnectPolicy(LinkRole::kPusher).closed(0, c).code, -1307);
    EXPECT_EQ(ReconnectPolicy(LinkRole::kPlayer).closed(0, c).code, 2103);
  }
  // What a retry may cure: a normal close, an abnormal one, the gateway's upstream failure, its idle
  // timeout, too many connections, a client too slow.
  for (int c : {0, 1000, 1001, 1006, 1011, 1013, 4408, 4429, 4502, 4508, 4509}) {
    SCOPED_TRACE(c);
    EXPECT_TRUE(ReconnectPolicy(LinkRole::kPusher).closed(0, c).retry);
    EXPECT_TRUE(ReconnectPolicy(LinkRole::kPlayer).closed(0, c).retry);
  }
}

TEST(ReconnectPolicy, AnUnopenableLinkStops) {
  EXPECT_EQ(ReconnectPolicy(LinkRole::kPusher).unusable().code, -1307);
  EXPECT_EQ(ReconnectPolicy(LinkRole::kPlayer).unusable().code, -2301);
}

// The close codes the policy names are gateway/protocol.json's (the one source of the wire constants).
TEST(ReconnectPolicy, CloseCodesAreTheProtocolsOwn) {
  std::ifstream in(test::source_dir() + "/gateway/protocol.json");
  ASSERT_TRUE(in) << "gateway/protocol.json";
  std::stringstream text;
  text << in.rdbuf();
  const std::string json = text.str();
  auto value = [&](const char* name) {
    std::smatch m;
    const std::regex re(std::string("\"") + name + "\"\\s*:\\s*(\\d+)");
    return std::regex_search(json, m, re) ? std::stoi(m[1]) : -1;
  };
  using namespace close_code;
  EXPECT_EQ(value("normal"), kNormal);
  EXPECT_EQ(value("unsupportedData"), kUnsupportedData);
  EXPECT_EQ(value("policyViolation"), kPolicyViolation);
  EXPECT_EQ(value("messageTooBig"), kMessageTooBig);
  EXPECT_EQ(value("badRequest"), kBadRequest);
  EXPECT_EQ(value("originNotAllowed"), kOriginNotAllowed);
  EXPECT_EQ(value("upstreamNotAllowed"), kUpstreamNotAllowed);
  EXPECT_EQ(value("notFlv"), kNotFlv);
  EXPECT_EQ(value("badControlMessage"), kBadControlMessage);
}

}  // namespace
}  // namespace lw::push
