#include "rtmp/rtmp_url.h"

#include <gtest/gtest.h>

namespace lw::rtmp {
namespace {

Url parse_ok(std::string_view text) {
  auto u = parse_url(text);
  EXPECT_TRUE(u.ok()) << text << ": " << u.status().to_string();
  return u.ok() ? *u : Url{};
}

TEST(RtmpUrl, QueryPassesThroughUntouchedInTheStreamName) {
  Url u = parse_ok("rtmp://h/live/room1?txSecret=abc&txTime=5F");
  EXPECT_EQ(u.host, "h");
  EXPECT_EQ(u.port, 1935);
  EXPECT_FALSE(u.port_given);
  EXPECT_EQ(u.app, "live");
  EXPECT_EQ(u.stream, "room1?txSecret=abc&txTime=5F");
  EXPECT_EQ(u.query, "txSecret=abc&txTime=5F");
  EXPECT_EQ(u.tc_url, "rtmp://h/live");
}

TEST(RtmpUrl, ExplicitPortGoesIntoTcUrl) {
  Url u = parse_ok("rtmp://127.0.0.1:19350/live/cap");
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, 19350);
  EXPECT_EQ(u.tc_url, "rtmp://127.0.0.1:19350/live") << "what FFmpeg sent to nginx in the capture";
  EXPECT_EQ(u.stream, "cap");
}

TEST(RtmpUrl, Ipv6HostsLoseTheirBracketsAndRegainThemInTcUrl) {
  Url u = parse_ok("rtmp://[::1]:1936/live/x");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 1936);
  EXPECT_EQ(u.tc_url, "rtmp://[::1]:1936/live");
  Url v = parse_ok("rtmp://[2001:db8::7]/app/s");
  EXPECT_EQ(v.host, "2001:db8::7");
  EXPECT_EQ(v.port, 1935);
  EXPECT_EQ(v.tc_url, "rtmp://[2001:db8::7]/app");
}

TEST(RtmpUrl, AppInstanceTakesTwoSegmentsLikeFfmpeg) {
  Url u = parse_ok("rtmp://h/app/inst/stream");
  EXPECT_EQ(u.app, "app/inst");
  EXPECT_EQ(u.stream, "stream");
  EXPECT_EQ(u.tc_url, "rtmp://h/app/inst");
  Url deep = parse_ok("rtmp://h/app/inst/dir/stream?k=v");
  EXPECT_EQ(deep.app, "app/inst");
  EXPECT_EQ(deep.stream, "dir/stream?k=v");
}

TEST(RtmpUrl, ColonBeforeTheSecondSlashKeepsAOneSegmentApp) {
  Url u = parse_ok("rtmp://h/vod/mp4:dir/f.mp4");
  EXPECT_EQ(u.app, "vod");
  EXPECT_EQ(u.stream, "mp4:dir/f.mp4");
}

TEST(RtmpUrl, SlashInsideTheQueryDoesNotMoveTheSplit) {
  Url u = parse_ok("rtmp://h/live/room?sign=a/b/c");
  EXPECT_EQ(u.app, "live");
  EXPECT_EQ(u.stream, "room?sign=a/b/c");
}

TEST(RtmpUrl, ConnectOnlyUrlHasAnEmptyStream) {
  Url u = parse_ok("RTMP://Host.Example:1935/live");
  EXPECT_EQ(u.app, "live");
  EXPECT_EQ(u.stream, "");
  EXPECT_EQ(u.host, "Host.Example");
}

TEST(RtmpUrl, RejectsWhatIsNotAnRtmpUrlWithAReason) {
  struct Case {
    const char* url;
    ErrorCode code;
    const char* reason_part;
  } cases[] = {
      {"http://h/live/x", ErrorCode::kInvalid, "rtmp://"},
      {"rtmps://h/live/x", ErrorCode::kUnsupported, "TLS"},
      {"rtmp://h", ErrorCode::kInvalid, "no app"},
      {"rtmp://h/", ErrorCode::kInvalid, "empty app"},
      {"rtmp:///live/x", ErrorCode::kInvalid, "no host"},
      {"rtmp://h:0/live/x", ErrorCode::kInvalid, "port"},
      {"rtmp://h:65536/live/x", ErrorCode::kInvalid, "port"},
      {"rtmp://h:12a/live/x", ErrorCode::kInvalid, "port"},
      {"rtmp://h:/live/x", ErrorCode::kInvalid, "port"},
      {"rtmp://::1/live/x", ErrorCode::kInvalid, "brackets"},
      {"rtmp://[::1/live/x", ErrorCode::kInvalid, "unclosed"},
      {"rtmp://h/live?x=1", ErrorCode::kInvalid, "no stream"},
      {"rtmp://h/live/a b", ErrorCode::kInvalid, "space"},
      {"rtmp://h?x/live/a", ErrorCode::kInvalid, "query before"},
  };
  for (const Case& c : cases) {
    auto u = parse_url(c.url);
    ASSERT_FALSE(u.ok()) << c.url;
    EXPECT_EQ(u.status().code(), c.code) << c.url;
    EXPECT_NE(u.status().reason().find(c.reason_part), std::string::npos)
        << c.url << ": " << u.status().reason();
  }
}

}  // namespace
}  // namespace lw::rtmp
