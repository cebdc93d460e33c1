// The ONE table from what happens on an RTMP connection to the state codes of docs/api.md (pusher 1001,
// 1002, 3001-3005; player 2001, 2002, 2006, 3001-3003). The session reports a Condition; onStatus
// and _error codes from the server are looked up here too; the gateway uses the same table for the
// conditions only it can see (DNS 3001, TCP connect 3002).
//
// Which condition a failure is depends on how far the connection got (the session's phase):
//   handshake (C0..S2)              -> kHandshakeFailed   3003  (bad S0, peer closed, timeout)
//   connect sent, no _result yet    -> kConnectRejected   3003  (connect _error, Connect.Rejected,
//                                                                nginx closing on an unknown app)
//   createStream/publish/play sent  -> kStreamRefused     3004  (Publish.BadName "Already
//                                                                publishing", Play.StreamNotFound,
//                                                                _error, peer closed, timeout)
//   publishing / playing            -> kServerClosedStream 3004 (an error onStatus, Connect.Closed)
//                                      kConnectionBroken  3005  (peer closed, broken chunk stream)
// For the player, 3004 and 3005 are the gateway's codes; the player layer turns them into its
// reconnect warning 2103 and finally -2301 (docs/api.md).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace lw::rtmp {

enum class Role : uint8_t { kPublish, kPlay };

enum class Condition : uint8_t {
  kNone = 0,
  kConnected,           // NetConnection.Connect.Success
  kStreamStarted,       // NetStream.Publish.Start / NetStream.Play.Start
  kPlayEnded,           // NetStream.Play.Stop / UnpublishNotify / Complete, User Control StreamEOF
  kDnsFailed,           // gateway: name resolution failed
  kTcpConnectFailed,    // gateway: TCP connect failed
  kHandshakeFailed,
  kConnectRejected,
  kStreamRefused,
  kServerClosedStream,
  kConnectionBroken,
};
std::string_view condition_name(Condition c);  // "handshake-failed", ...

inline constexpr uint8_t kRolePublish = 1;
inline constexpr uint8_t kRolePlay = 2;
inline constexpr uint8_t kRoleBoth = kRolePublish | kRolePlay;

struct StateCodeRule {
  Condition condition;
  std::string_view on_status;  // the server's onStatus/_error code that raises it; "" = any / none
  uint8_t roles;               // kRolePublish | kRolePlay
  int32_t code;                // docs/api.md state code
};

// The table itself (for documentation, tests and the JS constants generator).
std::span<const StateCodeRule> state_code_table();

// docs/api.md code for a condition in a role; 0 when the table has none (e.g. kPlayEnded for a pusher).
int32_t state_code(Role role, Condition condition);
// docs/api.md name of a code in a role ("PUSH_WARNING_SHAKE_FAIL"), "" when docs/api.md has none.
std::string_view state_code_name(Role role, int32_t code);
// The condition an onStatus/_error code names, kNone for codes the table does not list (the
// session then decides by level and phase).
Condition condition_for_status(std::string_view on_status_code);

}  // namespace lw::rtmp
