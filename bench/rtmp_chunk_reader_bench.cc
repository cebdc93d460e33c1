// RTMP chunk reader speed (MB/s of chunk stream) at chunk sizes 128 (the default, 5.4.1) and 4096
// (what nginx-rtmp and OBS set). The stream is what a publisher sends: every tag of the real FLV
// made by bench/run.sh ($LW_BENCH_FLV) as an RTMP message (audio on chunk stream 4, data on 5, video
// on 6, message stream 1, the FLV timestamps), chunked by our ChunkWriter, preceded by a Set Chunk
// Size when the size is not 128. Each iteration reads it all with a fresh ChunkReader, as the
// gateway does per connection, and must get every message back.
//
//   BM_RtmpChunkRead/128, /4096   the reader
//   BM_RtmpChunkWrite/128, /4096  the writer making that stream (into a reused buffer)
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bench_input.h"
#include "rtmp/rtmp_chunk_reader.h"
#include "rtmp/rtmp_chunk_writer.h"

namespace {

uint32_t csid_for(lw::flv::TagType type) {
  switch (type) {
    case lw::flv::TagType::kAudio: return lw::rtmp::kCsidAudio;
    case lw::flv::TagType::kVideo: return lw::rtmp::kCsidVideo;
    default: return lw::rtmp::kCsidData;
  }
}

// Chunks every tag as a message; `out` is cleared first.
lw::Status write_stream(const std::vector<lw::flv::Tag>& tags, uint32_t chunk_size, lw::Bytes& out) {
  out.clear();
  lw::rtmp::ChunkWriter writer;
  if (chunk_size != lw::rtmp::kDefaultChunkSize) LW_RETURN_IF_ERROR(writer.set_chunk_size(chunk_size, out));
  for (const lw::flv::Tag& tag : tags) {
    LW_RETURN_IF_ERROR(writer.write(csid_for(tag.type), static_cast<uint8_t>(tag.type), tag.timestamp_ms,
                                    /*stream_id=*/1, lw::as_span(tag.body), out));
  }
  return lw::Status::Ok();
}

struct ReadCount {
  uint64_t messages = 0;
  uint64_t body_bytes = 0;
};

// Reads the whole stream the way the header of rtmp_chunk_reader.h shows.
lw::Result<ReadCount> read_stream(lw::ByteSpan data) {
  lw::rtmp::ChunkReader reader;
  ReadCount count;
  lw::rtmp::Message m;
  while (!data.empty()) {
    auto used = reader.feed(data);
    if (!used.ok()) return used.status();
    data = data.subspan(*used);
    while (reader.next(&m)) {
      count.messages++;
      count.body_bytes += m.body.size();
    }
  }
  return count;
}

const std::vector<lw::flv::Tag>* tags_or_skip(benchmark::State& state) {
  std::string why;
  const auto* tags = lw::bench::flv_input_tags(&why);
  if (tags == nullptr) state.SkipWithError(why.c_str());
  return tags;
}

void BM_RtmpChunkRead(benchmark::State& state) {
  const auto* tags = tags_or_skip(state);
  if (tags == nullptr) return;
  const auto chunk_size = static_cast<uint32_t>(state.range(0));
  lw::Bytes stream;
  if (lw::Status st = write_stream(*tags, chunk_size, stream); !st.ok()) {
    state.SkipWithError(st.to_string().c_str());
    return;
  }
  // Every tag, plus the Set Chunk Size message when there is one.
  const uint64_t expected = tags->size() + (chunk_size != lw::rtmp::kDefaultChunkSize ? 1 : 0);
  for (auto _ : state) {
    auto got = read_stream(lw::as_span(stream));
    if (!got.ok() || got->messages != expected) {
      state.SkipWithError(got.ok() ? "message count differs from the tag count"
                                   : got.status().to_string().c_str());
      break;
    }
    benchmark::DoNotOptimize(got->body_bytes);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * stream.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * expected));
  state.counters["messages"] = static_cast<double>(expected);
  state.counters["stream_bytes"] = static_cast<double>(stream.size());
}
BENCHMARK(BM_RtmpChunkRead)->Arg(128)->Arg(4096)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_RtmpChunkWrite(benchmark::State& state) {
  const auto* tags = tags_or_skip(state);
  if (tags == nullptr) return;
  const auto chunk_size = static_cast<uint32_t>(state.range(0));
  lw::Bytes stream;  // reused: capacity stays, as a connection's send buffer does
  for (auto _ : state) {
    if (lw::Status st = write_stream(*tags, chunk_size, stream); !st.ok()) {
      state.SkipWithError(st.to_string().c_str());
      break;
    }
    benchmark::DoNotOptimize(stream.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * stream.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * tags->size()));
}
BENCHMARK(BM_RtmpChunkWrite)->Arg(128)->Arg(4096)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
