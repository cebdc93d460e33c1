#include "rtmp/rtmp_reconnect.h"

#include <cctype>

namespace lw::rtmp {
namespace {

Status bad(ErrorCode code, std::string_view what, std::string_view tc_url) {
  std::string shown(tc_url.substr(0, 200));
  return Status(code, "ReconnectRequest tcUrl " + std::string(what) + ": '" + shown + "'");
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

std::string authority(const Url& u) {
  std::string a = u.host.find(':') != std::string::npos ? "[" + u.host + "]" : u.host;
  if (u.port_given) a += ":" + std::to_string(u.port);
  return a;
}

}  // namespace

Result<std::string> resolve_reconnect_url(const Url& current, std::string_view tc_url) {
  if (tc_url.size() > kMaxReconnectTcUrl) {
    return bad(ErrorCode::kLimitExceeded, "is over " + std::to_string(kMaxReconnectTcUrl) + " bytes", tc_url);
  }
  for (char c : tc_url) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == ' ' || c == '\\') return bad(ErrorCode::kInvalid, "has a control character, space or '\\'", tc_url);
  }
  if (tc_url.find('?') != std::string_view::npos || tc_url.find('#') != std::string_view::npos) {
    return bad(ErrorCode::kUnsupported, "has a query or fragment (tokens go in the stream name)", tc_url);
  }
  std::string absolute;
  if (tc_url.empty()) {
    absolute = current.tc_url;
  } else if (starts_with_ci(tc_url, "rtmp://")) {
    absolute = "rtmp://" + std::string(tc_url.substr(7));
  } else if (tc_url.size() >= 2 && tc_url.substr(0, 2) == "//") {
    absolute = "rtmp:" + std::string(tc_url);
  } else if (tc_url.front() == '/') {
    absolute = "rtmp://" + authority(current) + std::string(tc_url);
  } else if (tc_url.find(':') != std::string_view::npos && tc_url.find(':') < tc_url.find('/')) {
    return bad(ErrorCode::kUnsupported, "is not an rtmp:// URL", tc_url);
  } else {
    // A relative path: replaces the last segment of the current tcUrl's path (RFC 3986 5.2.3).
    std::string base = "/" + current.app;
    absolute = "rtmp://" + authority(current) + base.substr(0, base.rfind('/') + 1) + std::string(tc_url);
  }
  while (absolute.size() > 7 && absolute.back() == '/') absolute.pop_back();

  const size_t path_at = absolute.find('/', 7);
  const std::string app = path_at == std::string::npos ? "" : absolute.substr(path_at + 1);
  if (app.empty()) return bad(ErrorCode::kInvalid, "names no application", tc_url);
  if (current.stream.empty()) return Status(ErrorCode::kMisuse, "no stream to reconnect");
  std::string url = absolute + "/" + current.stream;
  auto check = parse_url(url);
  if (!check.ok()) return bad(ErrorCode::kInvalid, "does not parse (" + check.status().reason() + ")", tc_url);
  if (check->app != app || check->stream != current.stream) {
    return bad(ErrorCode::kInvalid, "is not an app or app/instance that keeps the stream name", tc_url);
  }
  return url;
}

Status ReconnectGate::request(int64_t now_ms) {
  while (!times_.empty() && now_ms - times_.front() >= limits_.window_ms) times_.pop_front();
  if (int(times_.size()) >= limits_.max_requests) {
    pending_ = false;
    return Status(ErrorCode::kLimitExceeded,
                  "too many ReconnectRequests: " + std::to_string(times_.size() + 1) + " within " +
                      std::to_string(limits_.window_ms / 1000) + " s (a redirect loop?)");
  }
  times_.push_back(now_ms);
  if (!pending_) requested_ms_ = now_ms;  // a second request while one is pending keeps the first wait
  pending_ = true;
  return Status::Ok();
}

bool ReconnectGate::switch_before_tag(int64_t now_ms, bool video_key_frame, bool stream_has_video) const {
  if (!pending_) return false;
  return video_key_frame || !stream_has_video || overdue(now_ms);
}

bool ReconnectGate::overdue(int64_t now_ms) const {
  return pending_ && now_ms - requested_ms_ >= limits_.key_frame_wait_ms;
}

}  // namespace lw::rtmp
