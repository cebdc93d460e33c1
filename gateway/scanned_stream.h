// The client's stream under Beast's WebSocket: passes every read through a FrameScanner, and fails
// the read with frame_violation() when the scanner refuses what came. Writes pass through. The
// connection then writes the 1002 close frame itself (Beast's stream is failed by then).
#pragma once

#include <utility>

#include <boost/asio/compose.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include "frame_scanner.h"

namespace lw::gateway {

// The error a read completes with once the scanner saw a violation.
inline boost::system::error_code frame_violation() {
  return boost::system::errc::make_error_code(boost::system::errc::protocol_error);
}

template <class Next>
class ScannedStream {
 public:
  using executor_type = typename Next::executor_type;
  using next_layer_type = Next;

  explicit ScannedStream(Next&& next) : next_(std::move(next)) {}
  ScannedStream(ScannedStream&&) = default;

  executor_type get_executor() noexcept { return next_.get_executor(); }
  Next& next_layer() noexcept { return next_; }
  const Next& next_layer() const noexcept { return next_; }
  const FrameScanner& scanner() const { return scanner_; }

  template <class MutableBuffers, class Handler>
  auto async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    return boost::asio::async_compose<Handler, void(boost::system::error_code, std::size_t)>(
        ReadOp<MutableBuffers>{this, buffers}, handler, next_);
  }

  template <class ConstBuffers, class Handler>
  auto async_write_some(const ConstBuffers& buffers, Handler&& handler) {
    return next_.async_write_some(buffers, std::forward<Handler>(handler));
  }

 private:
  template <class MutableBuffers>
  struct ReadOp {
    ScannedStream* s;
    MutableBuffers buffers;
    bool started = false;

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec = {}, std::size_t n = 0) {
      if (!started) {
        started = true;
        if (s->scanner_.failed()) return self.complete(frame_violation(), 0);
        s->next_.async_read_some(buffers, std::move(self));
        return;
      }
      if (n > 0) {
        size_t left = n;
        for (auto it = boost::asio::buffer_sequence_begin(buffers); left > 0 && it != boost::asio::buffer_sequence_end(buffers); ++it) {
          boost::asio::const_buffer b = *it;
          size_t k = std::min(left, b.size());
          s->scanner_.feed(ByteSpan(static_cast<const uint8_t*>(b.data()), k));
          left -= k;
        }
        if (s->scanner_.failed()) return self.complete(frame_violation(), 0);
      }
      self.complete(ec, n);
    }
  };

  Next next_;
  FrameScanner scanner_;
};

// Beast's closing handshake tears the next layer down.
template <class Next, class Handler>
void async_teardown(boost::beast::role_type role, ScannedStream<Next>& s, Handler&& handler) {
  using boost::beast::websocket::async_teardown;
  async_teardown(role, s.next_layer(), std::forward<Handler>(handler));
}

template <class Next>
void teardown(boost::beast::role_type role, ScannedStream<Next>& s, boost::system::error_code& ec) {
  using boost::beast::websocket::teardown;
  teardown(role, s.next_layer(), ec);
}

}  // namespace lw::gateway
