#include "rtmp/rtmp_state_codes.h"

#include <iterator>

namespace lw::rtmp {
namespace {

using C = Condition;

// Rows with an onStatus code come first for their condition; the row with "" is the condition's
// code when the session raised it itself. Codes per docs/api.md.
constexpr StateCodeRule kTable[] = {
    {C::kConnected, "NetConnection.Connect.Success", kRolePublish, 1001},
    {C::kConnected, "NetConnection.Connect.Success", kRolePlay, 2001},
    {C::kStreamStarted, "NetStream.Publish.Start", kRolePublish, 1002},
    {C::kStreamStarted, "NetStream.Play.Start", kRolePlay, 2002},
    {C::kPlayEnded, "NetStream.Play.Stop", kRolePlay, 2006},
    {C::kPlayEnded, "NetStream.Play.UnpublishNotify", kRolePlay, 2006},
    {C::kPlayEnded, "NetStream.Play.Complete", kRolePlay, 2006},
    {C::kPlayEnded, "", kRolePlay, 2006},  // User Control StreamEOF
    {C::kDnsFailed, "", kRoleBoth, 3001},
    {C::kTcpConnectFailed, "", kRoleBoth, 3002},
    {C::kHandshakeFailed, "", kRoleBoth, 3003},
    {C::kConnectRejected, "NetConnection.Connect.Rejected", kRoleBoth, 3003},
    {C::kConnectRejected, "NetConnection.Connect.Failed", kRoleBoth, 3003},
    {C::kConnectRejected, "NetConnection.Connect.InvalidApp", kRoleBoth, 3003},
    {C::kConnectRejected, "", kRoleBoth, 3003},
    {C::kStreamRefused, "NetStream.Publish.BadName", kRoleBoth, 3004},
    {C::kStreamRefused, "NetStream.Publish.Denied", kRoleBoth, 3004},
    {C::kStreamRefused, "NetStream.Publish.Failed", kRoleBoth, 3004},
    {C::kStreamRefused, "NetStream.Play.StreamNotFound", kRoleBoth, 3004},
    {C::kStreamRefused, "NetStream.Play.Failed", kRoleBoth, 3004},
    {C::kStreamRefused, "", kRoleBoth, 3004},
    {C::kServerClosedStream, "NetConnection.Connect.Closed", kRoleBoth, 3004},
    {C::kServerClosedStream, "", kRoleBoth, 3004},
    {C::kConnectionBroken, "", kRoleBoth, 3005},
};

uint8_t role_bit(Role role) { return role == Role::kPublish ? kRolePublish : kRolePlay; }

const StateCodeRule* find(Role role, Condition condition) {
  for (const StateCodeRule& r : kTable) {
    if (r.condition == condition && (r.roles & role_bit(role))) return &r;
  }
  return nullptr;
}

}  // namespace

std::string_view condition_name(Condition c) {
  switch (c) {
    case C::kNone: return "none";
    case C::kConnected: return "connected";
    case C::kStreamStarted: return "stream-started";
    case C::kPlayEnded: return "play-ended";
    case C::kDnsFailed: return "dns-failed";
    case C::kTcpConnectFailed: return "tcp-connect-failed";
    case C::kHandshakeFailed: return "handshake-failed";
    case C::kConnectRejected: return "connect-rejected";
    case C::kStreamRefused: return "stream-refused";
    case C::kServerClosedStream: return "server-closed-stream";
    case C::kConnectionBroken: return "connection-broken";
  }
  return "unknown";
}

std::span<const StateCodeRule> state_code_table() { return kTable; }

int32_t state_code(Role role, Condition condition) {
  const StateCodeRule* r = find(role, condition);
  return r ? r->code : 0;
}

std::string_view state_code_name(Role role, int32_t code) {
  const bool push = role == Role::kPublish;
  switch (code) {
    case 1001: return push ? "PUSH_EVT_CONNECT_SUCC" : "";
    case 1002: return push ? "PUSH_EVT_PUSH_BEGIN" : "";
    case 2001: return push ? "" : "PLAY_EVT_CONNECT_SUCC";
    case 2002: return push ? "" : "PLAY_EVT_RTMP_STREAM_BEGIN";
    case 2006: return push ? "" : "PLAY_EVT_PLAY_END";
    case 3001: return push ? "PUSH_WARNING_DNS_FAIL" : "PLAY_WARNING_DNS_FAIL";
    case 3002: return push ? "PUSH_WARNING_SEVER_CONN_FAIL" : "PLAY_WARNING_SEVER_CONN_FAIL";
    case 3003: return push ? "PUSH_WARNING_SHAKE_FAIL" : "PLAY_WARNING_SHAKE_FAIL";
    // docs/api.md names both 3004 and 3005 PUSH_WARNING_SERVER_DISCONNECT and lists neither for the
    // player, where they are gateway codes; the one name serves both roles.
    case 3004:
    case 3005: return "PUSH_WARNING_SERVER_DISCONNECT";
    default: return "";
  }
}

Condition condition_for_status(std::string_view on_status_code) {
  if (on_status_code.empty()) return C::kNone;
  for (const StateCodeRule& r : kTable) {
    if (r.on_status == on_status_code) return r.condition;
  }
  return C::kNone;
}

}  // namespace lw::rtmp
