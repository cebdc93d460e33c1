// Fuzz target for the RTMP chunk reader. The first byte says how many of the following bytes are
// feed sizes (0-7); those (each 1-256) are cycled to split the rest, the chunk stream, into feeds.
// Checks: the messages and the error of a split feed equal those of one feed; the reader never holds
// more than its limits allow; the messages read, written again by ChunkWriter (control messages 1
// and 2 left out, as they act on the chunk layer itself), read back identically.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "rtmp/rtmp_chunk_reader.h"
#include "rtmp/rtmp_chunk_writer.h"

namespace {

using namespace lw;
using namespace lw::rtmp;

void fail(const char* what) {
  std::fprintf(stderr, "rtmp_chunk_reader_fuzz: %s\n", what);
  std::abort();
}

ChunkReader::Limits small_limits() {
  ChunkReader::Limits l;
  l.max_message_size = 1 << 16;  // small limits reach the limit paths with small inputs
  l.max_chunk_streams = 16;
  l.max_buffered_bytes = 1 << 17;
  l.max_chunk_size = 1 << 20;
  return l;
}

std::string describe(const Message& m) {
  std::string s = std::to_string(m.type) + "/" + std::to_string(m.timestamp) + "/" +
                  std::to_string(m.stream_id) + "/" + std::to_string(m.chunk_stream_id) + ":";
  s.append(m.body.begin(), m.body.end());
  return s;
}

// Messages as one string each, then the final error. `kept` receives the messages themselves.
std::vector<std::string> read_all(ByteSpan data, const std::vector<size_t>& sizes,
                                  std::vector<Message>* kept = nullptr, int extra_chunk_streams = 0) {
  ChunkReader::Limits limits = small_limits();
  limits.max_chunk_streams += extra_chunk_streams;
  ChunkReader reader(limits);
  std::vector<std::string> out;
  size_t pos = 0, i = 0;
  while (pos < data.size()) {
    size_t n = sizes.empty() ? data.size() - pos : std::min(sizes[i++ % sizes.size()], data.size() - pos);
    ByteSpan piece = data.subspan(pos, n);
    pos += n;
    while (!piece.empty()) {
      auto used = reader.feed(piece);
      if (!used.ok()) {
        out.push_back("error:" + used.status().to_string());
        return out;
      }
      if (*used > piece.size()) fail("consumed more than it was given");
      piece = piece.subspan(*used);
      if (reader.buffered_bytes() > small_limits().max_buffered_bytes) fail("buffered over the limit");
      Message m;
      while (reader.next(&m)) {
        if (m.body.size() > small_limits().max_message_size) fail("message over the limit");
        out.push_back(describe(m));
        if (kept) kept->push_back(std::move(m));
      }
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  size_t n_sizes = data[0] % 8;
  if (size < 1 + n_sizes) return 0;
  std::vector<size_t> sizes;
  for (size_t i = 0; i < n_sizes; ++i) sizes.push_back(size_t(data[1 + i]) + 1);
  ByteSpan stream(data + 1 + n_sizes, size - 1 - n_sizes);
  std::vector<Message> messages;
  auto whole = read_all(stream, {}, &messages);
  auto split = read_all(stream, sizes);
  if (whole != split) fail("messages differ between one feed and split feeds");

  // Round trip through the writer, at a chunk size the input picks.
  ChunkWriter writer;
  Bytes wire;
  const uint32_t chunk_size = n_sizes ? uint32_t(data[1]) * 17 + 1 : kDefaultChunkSize;
  std::vector<std::string> want;
  if (chunk_size != kDefaultChunkSize) {
    if (!writer.set_chunk_size(chunk_size, wire).ok()) fail("set_chunk_size refused");
    want.push_back(describe(Message{1, 0, 0, 2, u32_body(chunk_size)}));
  }
  for (const Message& m : messages) {
    if (m.type == 1 || m.type == 2) continue;
    if (!writer.write(m.chunk_stream_id, m.type, m.timestamp, m.stream_id, as_span(m.body), wire).ok())
      fail("the writer refused a message the reader produced");
    want.push_back(describe(m));
  }
  // The writer's own Set Chunk Size goes out on chunk stream 2, which the input may not have used:
  // one more chunk stream than the input needed is allowed there.
  if (read_all(as_span(wire), sizes, nullptr, 1) != want) fail("writer -> reader round trip changed a message");
  return 0;
}
