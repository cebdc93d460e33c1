// How bytes flow through the Bridge, checked byte for byte: the server's messages become the FLV the
// player reads (coalesced while a write is in flight, text frames keeping their place), a pusher's FLV
// in any split becomes the RTMP messages the server reads, and acks report growing counters.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bridge.h"
#include "bridge_rig.h"
#include "flv/flv_demuxer.h"
#include "flv/flv_muxer.h"
#include "rtmp/rtmp_commands.h"
#include "rtmp_nginx_bytes.h"
#include "rtmp_test_util.h"

namespace lw::gateway {
namespace {

using rtmp_test::hex;
using test::Rig;
using test::ServerMessages;

std::vector<flv::Tag> flv_tags(const Bytes& data) {
  flv::Demuxer d;
  d.feed(as_span(data));
  d.finish();
  std::vector<flv::Tag> out;
  flv::Event ev;
  while (d.next(&ev)) {
    EXPECT_NE(ev.kind, flv::EventKind::kError) << ev.status.to_string();
    if (ev.kind == flv::EventKind::kAudio || ev.kind == flv::EventKind::kVideo || ev.kind == flv::EventKind::kScript) {
      out.push_back(ev.tag.to_tag());
    }
  }
  return out;
}

// The value of a numeric field of one of our JSON frames ({"type":"ack","received":12,...}).
uint64_t field(const std::string& json, const std::string& name) {
  size_t at = json.find("\"" + name + "\":");
  EXPECT_NE(at, std::string::npos) << name << " in " << json;
  return at == std::string::npos ? 0 : std::stoull(json.substr(at + name.size() + 3));
}

std::vector<std::string> of_type(const std::vector<std::string>& texts, const std::string& type) {
  std::vector<std::string> out;
  for (const auto& t : texts) {
    if (t.find("\"type\":\"" + type + "\"") != std::string::npos) out.push_back(t);
  }
  return out;
}

Bytes avc_frame(bool key, size_t size, uint8_t fill) {
  Bytes b = hex(key ? "1701000000" : "2701000000");
  b.resize(size, fill);
  return b;
}

TEST(GatewayBridgeFlow, PlayerReadsEveryServerMessageAsAnFlvTagWithTheSameTypeTimeAndBody) {
  Rig r(Endpoint::kPlay);
  r.start(rtmp_test::kNginxCreateStreamReplyTx2);
  r.from_server(rtmp_test::kNginxPlayStart);
  r.from_server(rtmp_test::kNginxPlayFirstMedia);
  ServerMessages s;
  Bytes mine;
  for (const Bytes& m : {s.media(9, 40, avc_frame(true, 5000, 0x11)),   // spans two 4096-byte chunks
                         s.media(8, 43, hex("af01 21100500")), s.media(9, 80, avc_frame(false, 300, 0x22)),
                         s.media(9, 0x1000000, avc_frame(false, 20, 0x33))}) {  // extended timestamp
    mine.insert(mine.end(), m.begin(), m.end());
  }
  r.from_server(mine);
  r.read_client();
  ASSERT_FALSE(r.b.close_request());

  // What the server sent, read by a plain chunk reader (it applies nginx's Set Chunk Size itself).
  Bytes all = rtmp_test::concat({hex(rtmp_test::kNginxConnectReply), hex(rtmp_test::kNginxCreateStreamReplyTx2),
                                 hex(rtmp_test::kNginxPlayStart), hex(rtmp_test::kNginxPlayFirstMedia), mine});
  Status st;
  std::vector<rtmp::Message> sent = rtmp_test::read_messages(as_span(all), {}, &st);
  ASSERT_TRUE(st.ok()) << st.to_string();
  std::vector<const rtmp::Message*> media;
  for (const auto& m : sent) {
    if (m.type == 8 || m.type == 9 || m.type == 18) media.push_back(&m);
  }
  ASSERT_EQ(media.size(), 9u);  // |RtmpSampleAccess, onMetaData, AAC header + frame, AVC header, mine

  ASSERT_GE(r.flv.size(), 13u);
  EXPECT_EQ(Bytes(r.flv.begin(), r.flv.begin() + 13), hex("464c5601 05 00000009 00000000"));
  auto tags = flv_tags(r.flv);
  ASSERT_EQ(tags.size(), media.size());
  for (size_t i = 0; i < tags.size(); ++i) {
    EXPECT_EQ(uint8_t(tags[i].type), media[i]->type) << i;
    EXPECT_EQ(tags[i].timestamp_ms, media[i]->timestamp) << i;
    EXPECT_EQ(tags[i].body, media[i]->body) << i;
  }
  EXPECT_EQ(r.b.stats().tags_forwarded, 9u);
}

TEST(GatewayBridgeFlow, MediaArrivingDuringAWriteCoalescesIntoOneFrame) {
  Rig r(Endpoint::kPlay);
  r.start(rtmp_test::kNginxCreateStreamReplyTx2);
  r.from_server(rtmp_test::kNginxPlayStart);
  r.read_client();
  ServerMessages s;
  r.from_server(s.media(9, 0, avc_frame(true, 200, 1)));
  ClientFrame f;
  ASSERT_TRUE(r.b.next_client_frame(&f, 0));
  ASSERT_FALSE(f.text);
  EXPECT_EQ(f.data.size(), 11u + 200 + 4) << "the key frame alone";
  const Bytes audio = hex("af01 0102030405060708");
  for (uint32_t ts = 1; ts <= 10; ++ts) r.from_server(s.media(8, ts, audio));
  const size_t ten = 10 * (11 + audio.size() + 4);
  EXPECT_EQ(r.b.client_queued(), f.data.size() + ten);
  ClientFrame g;
  EXPECT_FALSE(r.b.next_client_frame(&g, 0)) << "one write at a time";
  r.b.end_client_write(0);
  ASSERT_TRUE(r.b.next_client_frame(&g, 0));
  EXPECT_FALSE(g.text);
  EXPECT_EQ(g.data.size(), ten) << "all ten tags in one frame";
  r.b.end_client_write(0);
  EXPECT_FALSE(r.b.next_client_frame(&g, 0));
  EXPECT_EQ(r.b.client_queued(), 0u);
}

TEST(GatewayBridgeFlow, TextFramesKeepTheirPlaceAmongTheMedia) {
  Rig r(Endpoint::kPlay);
  r.start(rtmp_test::kNginxCreateStreamReplyTx2);
  r.from_server(rtmp_test::kNginxPlayStart);
  r.read_client();
  ServerMessages s;
  r.from_server(s.media(9, 0, avc_frame(true, 100, 1)));
  r.b.on_client_text(R"({"type":"ping","id":"p1"})", 0);
  r.b.on_client_message_end(0);
  r.from_server(s.media(9, 40, avc_frame(false, 50, 2)));
  std::vector<std::string> order;
  ClientFrame f;
  while (r.b.next_client_frame(&f, 0)) {
    order.push_back(f.text ? std::string(reinterpret_cast<const char*>(f.data.data()), f.data.size())
                           : "binary " + std::to_string(f.data.size()));
    r.b.end_client_write(0);
  }
  ASSERT_EQ(order.size(), 3u);
  EXPECT_EQ(order[0], "binary 115");
  EXPECT_EQ(order[1].rfind(R"({"type":"pong","id":"p1","queued":)", 0), 0u) << order[1];
  EXPECT_EQ(order[2], "binary 65");
  EXPECT_EQ(field(order[1], "queued"), 115u) << "a player's pong counts the bytes waiting for it";
}

TEST(GatewayBridgeFlow, ReturningPublisherMakesTheNextEndNewsAgain) {
  Rig r(Endpoint::kPlay);
  r.start(rtmp_test::kNginxCreateStreamReplyTx2);
  r.from_server(rtmp_test::kNginxPlayStart);
  r.from_server(rtmp_test::kNginxPlayEnd);
  r.from_server(rtmp_test::kNginxPlayEnd);  // the same end again: no news
  r.from_server(rtmp_test::kNginxPlayStart);  // nginx on a returning publisher: Play.Start, StreamBegin
  r.from_server(rtmp_test::kNginxPlayEnd);
  r.read_client();
  std::vector<uint64_t> codes;
  for (const auto& t : of_type(r.texts, "status")) codes.push_back(field(t, "code"));
  EXPECT_EQ(codes, (std::vector<uint64_t>{2001, 2002, 2006, 2006}));
  EXPECT_FALSE(r.b.close_request());
}

TEST(GatewayBridgeFlow, PushedFlvInSingleBytesArrivesAsRtmpMessagesScriptAsSetDataFrame) {
  Rig r(Endpoint::kPush);
  r.start(rtmp_test::kNginxCreateStreamReplyTx4);
  r.from_server(rtmp_test::kNginxPublishStart);
  flv::Muxer m;
  Bytes flv;
  m.write_header(true, true, flv);
  ASSERT_TRUE(m.write_metadata({{"width", amf0::Value::Number(640)}, {"encoder", amf0::Value::String("lw")}}, flv).ok());
  ASSERT_TRUE(m.write_aac_sequence_header(0, hex("1210"), flv).ok());
  ASSERT_TRUE(m.write_avc_sequence_header(0, hex("014d401effe1000a674d401e965405017b2001000468ee3c80"), flv).ok());
  ASSERT_TRUE(m.write_avc_frame(0, 40, true, Bytes(5000, 0x65), flv).ok());
  ASSERT_TRUE(m.write_aac_frame(21, hex("21100500"), flv).ok());
  ASSERT_TRUE(m.write_avc_frame(33, 0, false, hex("0000000141"), flv).ok());
  for (size_t i = 0; i < flv.size(); ++i) r.b.on_client_binary(ByteSpan(flv.data() + i, 1), 0);
  r.flush_upstream();
  ASSERT_FALSE(r.b.close_request());
  ASSERT_TRUE(r.server.error.ok()) << r.server.error.to_string();

  auto tags = flv_tags(flv);
  std::vector<const rtmp::Message*> got;
  for (const auto& msg : r.server.messages) {
    if (msg.type == 8 || msg.type == 9 || msg.type == 18) got.push_back(&msg);
  }
  ASSERT_EQ(got.size(), tags.size());
  for (size_t i = 0; i < tags.size(); ++i) {
    EXPECT_EQ(got[i]->type, uint8_t(tags[i].type)) << i;
    EXPECT_EQ(got[i]->timestamp, tags[i].timestamp_ms) << i;
    EXPECT_EQ(got[i]->stream_id, 1u) << i;
    if (tags[i].type == flv::TagType::kScript) {
      EXPECT_EQ(got[i]->body, rtmp::wrap_set_data_frame(as_span(tags[i].body))) << "@setDataFrame, then the tag";
      EXPECT_EQ(rtmp::data_message_name(as_span(got[i]->body)), "@setDataFrame");
    } else {
      EXPECT_EQ(got[i]->body, tags[i].body) << i;
    }
  }
  EXPECT_EQ(r.b.stats().tags_forwarded, tags.size());
  EXPECT_EQ(r.b.stats().client_in, flv.size());
}

TEST(GatewayBridgeFlow, AcksComeEachIntervalWhileSomethingChangedWithGrowingCounters) {
  BridgeLimits l;
  l.ack_interval_ms = 250;
  Rig r(Endpoint::kPush, l);
  r.start(rtmp_test::kNginxCreateStreamReplyTx4);
  r.from_server(rtmp_test::kNginxPublishStart);
  r.read_client();
  const uint64_t sent_before = r.b.stats().upstream_out;  // handshake and commands
  flv::Muxer m;
  Bytes a, b;
  m.write_header(true, true, a);
  ASSERT_TRUE(m.write_avc_frame(0, 0, true, Bytes(1000, 1), a).ok());
  ASSERT_TRUE(m.write_avc_frame(40, 0, false, Bytes(500, 2), b).ok());

  r.b.on_client_binary(as_span(a), 0);  // the first bytes: an ack at once
  r.b.on_client_binary(as_span(b), 100);  // within the interval: none
  r.read_client();
  auto acks = of_type(r.texts, "ack");
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(field(acks[0], "received"), a.size());
  EXPECT_EQ(field(acks[0], "sent"), sent_before);
  EXPECT_GT(field(acks[0], "queued"), 1000u);
  EXPECT_EQ(r.b.next_deadline_ms(), 250);

  r.b.tick(250);
  r.read_client();
  acks = of_type(r.texts, "ack");
  ASSERT_EQ(acks.size(), 2u);
  EXPECT_EQ(field(acks[1], "received"), a.size() + b.size());
  EXPECT_GT(field(acks[1], "queued"), field(acks[0], "queued"));

  r.now = 300;
  r.flush_upstream();  // the server's socket took everything
  r.b.tick(500);
  r.read_client();
  acks = of_type(r.texts, "ack");
  ASSERT_EQ(acks.size(), 3u);
  EXPECT_EQ(field(acks[2], "sent"), r.b.stats().upstream_out);
  EXPECT_GT(field(acks[2], "sent"), sent_before + 1500) << "both frames' bodies, with their RTMP headers";
  EXPECT_EQ(field(acks[2], "queued"), 0u);
  EXPECT_NE(acks[2].find("\"paused\":false"), std::string::npos);

  r.b.tick(750);  // nothing changed: no ack
  r.read_client();
  EXPECT_EQ(of_type(r.texts, "ack").size(), 3u);

  ServerMessages s;  // the server acknowledges 5000 bytes (5.4.3)
  r.from_server(s.control(3, hex("00001388")));
  r.b.tick(1000);
  r.read_client();
  acks = of_type(r.texts, "ack");
  ASSERT_EQ(acks.size(), 4u);
  EXPECT_EQ(field(acks[3], "acked"), 5000u);
}

TEST(GatewayBridgeFlow, CrossingPushSlowBytesSendsAnAckAtOnce) {
  BridgeLimits l;
  l.ack_interval_ms = 10000;
  l.push_slow_bytes = 4096;
  Rig r(Endpoint::kPush, l);
  r.start(rtmp_test::kNginxCreateStreamReplyTx4);
  r.from_server(rtmp_test::kNginxPublishStart);
  flv::Muxer m;
  Bytes flv;
  m.write_header(true, true, flv);
  r.b.on_client_binary(as_span(flv), 0);  // the first ack, then a long interval
  uint32_t ts = 0;
  while (r.b.upstream_queued() <= l.push_slow_bytes) {
    flv.clear();
    ASSERT_TRUE(m.write_avc_frame(ts += 40, 0, false, Bytes(1000, 3), flv).ok());
    r.b.on_client_binary(as_span(flv), 1);
  }
  r.read_client();
  auto acks = of_type(r.texts, "ack");
  ASSERT_EQ(acks.size(), 2u) << "the first, and one when queued crossed push_slow_bytes";
  EXPECT_GT(field(acks[1], "queued"), l.push_slow_bytes);
}

TEST(GatewayBridgeFlow, PushPongCountsWhatWaitsForTheServer) {
  Rig r(Endpoint::kPush);
  r.start(rtmp_test::kNginxCreateStreamReplyTx4);
  r.from_server(rtmp_test::kNginxPublishStart);
  flv::Muxer m;
  Bytes flv;
  m.write_header(true, true, flv);
  ASSERT_TRUE(m.write_avc_frame(0, 0, true, Bytes(3000, 1), flv).ok());
  r.b.on_client_binary(as_span(flv), 0);
  r.b.on_client_text(R"({"type":"ping","id":-1.5e3,"t":[true,false,null,{"x":"\u00e9"}]})", 0);
  r.b.on_client_message_end(0);
  r.read_client();
  auto pongs = of_type(r.texts, "pong");
  ASSERT_EQ(pongs.size(), 1u);
  EXPECT_EQ(pongs[0], R"({"type":"pong","id":-1.5e3,"queued":)" + std::to_string(r.b.upstream_queued()) + "}");
  EXPECT_GT(r.b.upstream_queued(), 3000u);
  EXPECT_FALSE(r.b.close_request());
}

// --coalesce-audio-ms: an audio tag waits for the next video tag (one write for both), but never past
// a text frame or a read that comes coalesce_audio_ms after it; off by default, and off until video
// was seen (an audio-only stream is written at once).
TEST(GatewayBridgeFlow, CoalesceAudioHoldsAudioForTheNextVideoTagWithinItsBound) {
  const Bytes audio = hex("af01 0102030405060708");
  const size_t audio_tag = 11 + audio.size() + 4;
  {
    BridgeLimits l;
    l.coalesce_audio_ms = 40;
    Rig r(Endpoint::kPlay, l);
    r.start(rtmp_test::kNginxCreateStreamReplyTx2);
    r.from_server(rtmp_test::kNginxPlayStart);
    r.read_client();
    ServerMessages s;
    r.now = 1000;
    r.from_server(s.media(8, 0, audio));
    ClientFrame f;
    ASSERT_TRUE(r.b.next_client_frame(&f, r.now)) << "no video seen yet: audio goes at once";
    r.b.end_client_write(r.now);
    r.from_server(s.media(9, 0, avc_frame(true, 200, 1)));
    ASSERT_TRUE(r.b.next_client_frame(&f, r.now));
    r.b.end_client_write(r.now);

    r.now = 1010;
    r.from_server(s.media(8, 10, audio));
    EXPECT_FALSE(r.b.next_client_frame(&f, r.now)) << "audio alone is held";
    r.now = 1030;
    r.from_server(s.media(8, 30, audio));
    EXPECT_FALSE(r.b.next_client_frame(&f, r.now)) << "still within 40 ms of the first held tag";
    r.from_server(s.media(9, 33, avc_frame(false, 100, 2)));
    ASSERT_TRUE(r.b.next_client_frame(&f, r.now));
    EXPECT_EQ(f.data.size(), 2 * audio_tag + 11 + 100 + 4) << "both audio tags and the video tag in one write";
    r.b.end_client_write(r.now);

    r.now = 1040;
    r.from_server(s.media(8, 40, audio));
    EXPECT_FALSE(r.b.next_client_frame(&f, r.now));
    r.now = 1080;
    r.from_server(s.media(8, 80, audio));
    ASSERT_TRUE(r.b.next_client_frame(&f, r.now)) << "a read 40 ms after the first held tag writes it";
    EXPECT_EQ(f.data.size(), 2 * audio_tag);
    r.b.end_client_write(r.now);

    r.from_server(s.media(8, 90, audio));
    EXPECT_FALSE(r.b.next_client_frame(&f, r.now));
    r.from_server(rtmp_test::kNginxPlayEnd);  // 2006: a status text frame follows the held audio
    ASSERT_TRUE(r.b.next_client_frame(&f, r.now));
    EXPECT_FALSE(f.text);
    EXPECT_EQ(f.data.size(), audio_tag);
    r.b.end_client_write(r.now);
    ASSERT_TRUE(r.b.next_client_frame(&f, r.now));
    EXPECT_TRUE(f.text);
  }
  {
    Rig r(Endpoint::kPlay);  // default: off
    r.start(rtmp_test::kNginxCreateStreamReplyTx2);
    r.from_server(rtmp_test::kNginxPlayStart);
    r.read_client();
    ServerMessages s;
    r.from_server(s.media(9, 0, avc_frame(true, 200, 1)));
    r.read_client();
    r.from_server(s.media(8, 10, audio));
    ClientFrame f;
    EXPECT_TRUE(r.b.next_client_frame(&f, r.now));
  }
}

}  // namespace
}  // namespace lw::gateway
