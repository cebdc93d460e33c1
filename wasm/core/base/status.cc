#include "base/status.h"

namespace lw {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "ok";
    case ErrorCode::kNeedMoreData: return "need-more-data";
    case ErrorCode::kTruncated: return "truncated";
    case ErrorCode::kInvalid: return "invalid";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kLimitExceeded: return "limit-exceeded";
    case ErrorCode::kProtocol: return "protocol";
    case ErrorCode::kRefused: return "refused";
    case ErrorCode::kClosed: return "closed";
    case ErrorCode::kTimeout: return "timeout";
    case ErrorCode::kMisuse: return "misuse";
  }
  return "unknown";
}

std::string Status::to_string() const {
  if (ok()) return "ok";
  std::string out(error_code_name(code_));
  out += ": ";
  out += reason_;
  return out;
}

Status& Status::context(std::string_view where) {
  if (!ok()) reason_ = std::string(where) + ": " + reason_;
  return *this;
}

}  // namespace lw
