// The notices (codes, docs/api.md) PlaySession's parts raise, in the order raised, until the shell
// takes them. Bounded: a shell that never drains them must not make memory grow.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>

#include "play/play_session.h"

namespace lw::play {

// Notice codes (docs/api.md).
inline constexpr int32_t kFirstKeyFrame = 2003;
inline constexpr int32_t kPlayBegin = 2004;
inline constexpr int32_t kLoading = 2007;
inline constexpr int32_t kVideoDecodeFail = 2101;
inline constexpr int32_t kAudioDecodeFail = 2102;
inline constexpr int32_t kRecvLag = 2104;
inline constexpr int32_t kPlayLag = 2105;
inline constexpr int32_t kSoftwareDecoding = 2106;
inline constexpr int32_t kDiscontinuity = 2107;

class NoticeQueue {
 public:
  static constexpr size_t kMaxQueued = 256;

  void notify(int32_t code, std::string message) {
    if (notices_.size() >= kMaxQueued) notices_.pop_front();
    notices_.push_back({code, std::move(message)});
  }
  bool next(Notice* out) {
    if (notices_.empty()) return false;
    *out = std::move(notices_.front());
    notices_.pop_front();
    return true;
  }

 private:
  std::deque<Notice> notices_;
};

}  // namespace lw::play
