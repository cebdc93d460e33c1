// Pins "no allocation on the per-tag path" (DESIGN.md: no copy that a view or a reused buffer can
// avoid): draining audio/video tags from a feed, or completing a tag that straddled two feeds once the
// demuxer's buffers have their capacity, calls operator new zero times. The replaced global operator
// new only counts while a test switches counting on; it forwards to malloc otherwise unchanged.
#include <gtest/gtest.h>

#include <cstdlib>
#include <deque>

#include "flv/flv_demuxer.h"
#include "flv_test_util.h"

namespace {
bool g_counting = false;
size_t g_allocations = 0;
}  // namespace

void* operator new(size_t size) {
  if (g_counting) ++g_allocations;
  if (void* p = std::malloc(size ? size : 1)) return p;
  std::abort();  // out of memory in a test binary (the core is built without exceptions in mind)
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace lw::flv {
namespace {

struct CountAllocations {
  CountAllocations() { g_allocations = 0, g_counting = true; }
  ~CountAllocations() { g_counting = false; }
  size_t count() const { return g_allocations; }
};

// The counter sees what the tests below must not do: a copy of a body, a queued event.
TEST(FlvDemuxerNoAllocation, CounterSeesAVectorCopyAndADequePush) {
  CountAllocations counter;
  Bytes copy(100, 1);
  std::deque<Event> queue;
  queue.emplace_back();
  EXPECT_GE(counter.count(), 2u);
}

TEST(FlvDemuxerNoAllocation, MediaTagsOfOneFeedAreDrainedWithoutAllocating) {
  auto file = test::load_vector("h264_aac.flv");
  ASSERT_TRUE(file);
  Demuxer d;
  d.feed(as_span(*file));
  Event ev;
  // Header and onMetaData (AMF0 values are owned: the script tag allocates) first.
  while (d.next(&ev) && ev.kind != EventKind::kScript) {
  }
  ASSERT_EQ(ev.kind, EventKind::kScript);
  size_t media = 0;
  size_t allocations = 0;
  {
    CountAllocations counter;
    while (d.next(&ev)) {
      if (ev.kind == EventKind::kAudio || ev.kind == EventKind::kVideo) ++media;
    }
    allocations = counter.count();
  }
  EXPECT_GT(media, 100u);
  EXPECT_EQ(allocations, 0u) << "allocations while draining " << media << " media tags";
}

TEST(FlvDemuxerNoAllocation, StraddlingTagsReuseTheAssemblyBuffers) {
  auto file = test::load_vector("h264_aac.flv");
  ASSERT_TRUE(file);
  const ByteSpan all = as_span(*file);
  constexpr size_t kPiece = 1400;  // one TCP segment at a time: most tags straddle
  Demuxer d;
  Event ev;
  // Pass 1 grows the two assembly buffers to the largest straddling tags; reset() keeps capacity.
  for (size_t at = 0; at < all.size(); at += kPiece) {
    d.feed(all.subspan(at, std::min(kPiece, all.size() - at)));
    while (d.next(&ev)) {
    }
  }
  d.reset();
  // Pass 2, the same pieces: counted from the first media tag on (the script tag's AMF0 values are
  // owned and allocate).
  size_t media = 0, straddled = 0, allocations = 0;
  {
    CountAllocations counter;
    for (size_t at = 0; at < all.size(); at += kPiece) {
      const ByteSpan piece = all.subspan(at, std::min(kPiece, all.size() - at));
      d.feed(piece);
      while (d.next(&ev)) {
        if (ev.kind == EventKind::kScript) g_allocations = 0;
        if (ev.kind != EventKind::kAudio && ev.kind != EventKind::kVideo) continue;
        ++media;
        if (ev.tag.body.data() < piece.data() || ev.tag.body.data() >= piece.data() + piece.size()) ++straddled;
      }
    }
    allocations = counter.count();
  }
  EXPECT_GT(straddled, 20u) << "the pieces must cut tags for this test to mean anything";
  EXPECT_GT(media, 100u);
  EXPECT_EQ(allocations, 0u) << "allocations while draining " << media << " media tags, " << straddled
                             << " of them straddling feeds";
}

}  // namespace
}  // namespace lw::flv
