// Errors are values. Every parser and protocol step in the core returns a Status (or a Result<T>)
// with a machine-readable code and a reason a person can read; nothing in wasm/ aborts or throws on
// input. The codes are the core's own; rtmp/rtmp_state_codes.h maps them onto the state codes of
// docs/api.md in one table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace lw {

enum class ErrorCode : uint8_t {
  kOk = 0,
  kNeedMoreData,   // not an error of the input: feed more bytes and call again
  kTruncated,      // the input ended inside a structure that claimed more bytes
  kInvalid,        // bytes that break the format (bad marker, bad signature, impossible value)
  kUnsupported,    // well-formed but not something we implement (codec, AMF type, RTMP version)
  kLimitExceeded,  // a configured bound (nesting depth, size, count) would be crossed
  kProtocol,       // the peer broke the protocol's rules (RTMP message order, chunk sizes)
  kRefused,        // the peer said no (_error, NetStream.Publish.BadName, NetConnection.Connect.Rejected)
  kClosed,         // the peer ended the stream or connection
  kTimeout,        // a deadline passed (time is passed in, never read)
  kMisuse,         // the caller used the API wrong (e.g. publish before connect)
};

std::string_view error_code_name(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string reason) : code_(code), reason_(std::move(reason)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& reason() const { return reason_; }
  // "kInvalid: FLV header signature is not 'FLV'"
  std::string to_string() const;

  // Prefix the reason with where it happened: "onMetaData: " + reason.
  Status& context(std::string_view where);

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string reason_;
};

// A value or the Status that says why there is none.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

// Early return on error, the house style for sequences of reads.
#define LW_RETURN_IF_ERROR(expr)        \
  do {                                  \
    ::lw::Status lw_status_ = (expr);   \
    if (!lw_status_.ok()) return lw_status_; \
  } while (0)

}  // namespace lw
