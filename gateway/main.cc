// livewasm-gateway: WebSocket (FLV) <-> RTMP bridge. See gateway/README.md and gateway/PROTOCOL.md.
#include <sched.h>

#include <csignal>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "gateway_config.h"
#include "log.h"
#include "server.h"

namespace {

lw::Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return lw::Status(lw::ErrorCode::kInvalid, "cannot open");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The cores this process may run on (taskset, cpuset), not the machine's.
int usable_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
  const unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? int(n) : 1;
}

// An io_context whose pending handlers can be destroyed on demand. Handlers own the connections
// (shared_ptr), and a connection's destructor reports to the Server; ~io_context would destroy them
// after the Server, which is declared later. shutdown() (execution_context, protected) destroys them
// now, while the Server is alive; the io_context itself stays valid for the objects that outlive it
// (listeners, the signal set).
class IoContext : public boost::asio::io_context {
 public:
  using boost::asio::io_context::io_context;
  void destroy_pending_handlers() { shutdown(); }
};

}  // namespace

int main(int argc, char** argv) {
  using namespace lw::gateway;
  std::vector<std::string> args(argv + 1, argv + argc);
  auto config = parse_config(args, &read_file);
  if (!config.ok()) {
    std::fprintf(stderr, "livewasm-gateway: %s\n", config.status().reason().c_str());
    return 64;
  }
  if (config->help) {
    std::fputs(usage_text().c_str(), stdout);
    return 0;
  }
  set_log_level(config->log_level);
  std::signal(SIGPIPE, SIG_IGN);

  if (config->threads == 0) config->threads = std::min(usable_cores(), 256);
  const int threads = config->threads;
  // One io_context per thread, each run by that thread alone (concurrency hint 1); other threads only
  // post to it (drain, eviction).
  std::vector<std::unique_ptr<IoContext>> contexts;
  std::vector<boost::asio::io_context*> context_ptrs;
  for (int i = 0; i < threads; ++i) {
    contexts.push_back(std::make_unique<IoContext>(1));
    context_ptrs.push_back(contexts.back().get());
  }
  boost::asio::io_context& ioc = *contexts[0];
  auto stop_all = [&contexts] { for (auto& c : contexts) c->stop(); };
  Server server(context_ptrs, std::move(*config));
  lw::Status st = server.start();
  if (!st.ok()) {
    log_line(LogLevel::kError, "start-failed").f("reason", st.reason());
    return 1;
  }

  boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
  boost::asio::steady_timer drain_timer(ioc);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    // A second signal while draining stops at once.
    signals.async_wait([&](const boost::system::error_code& e, int) {
      if (e) return;
      log_line(LogLevel::kWarn, "stopped").f("reason", "second signal");
      stop_all();
    });
    server.drain([&] { stop_all(); });
    drain_timer.expires_after(std::chrono::milliseconds(server.config().drain_timeout_ms));
    drain_timer.async_wait([&](const boost::system::error_code& e) {
      if (e) return;
      log_line(LogLevel::kWarn, "drain-timeout").f("streams_left", uint64_t(server.streams()));
      stop_all();
    });
  });

  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) {
    pool.emplace_back([c = contexts[i].get(), i] {
      set_io_thread(i);
      c->run();
    });
  }
  set_io_thread(0);
  ioc.run();
  for (auto& t : pool) t.join();
  // Streams still open (a drain that timed out, a second signal) die here, with the Server alive.
  for (auto& c : contexts) c->destroy_pending_handlers();
  log_line(LogLevel::kInfo, "stopped").f("uptime_s", server.uptime_seconds());
  return 0;
}
