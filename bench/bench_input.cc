#include "bench_input.h"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>

#include "flv/flv_demuxer.h"

namespace lw::bench {

const Bytes* flv_input(std::string* why) {
  static std::unique_ptr<Bytes> cached;
  static std::string error;
  static bool loaded = false;
  if (!loaded) {
    loaded = true;
    const char* path = std::getenv("LW_BENCH_FLV");
    if (path == nullptr || *path == '\0') {
      error = "LW_BENCH_FLV is not set (bench/run.sh makes the file and sets it)";
    } else {
      std::ifstream in(path, std::ios::binary);
      if (!in) {
        error = std::string("cannot read LW_BENCH_FLV=") + path;
      } else {
        cached = std::make_unique<Bytes>(std::istreambuf_iterator<char>(in),
                                         std::istreambuf_iterator<char>());
      }
    }
  }
  if (!cached && why != nullptr) *why = error;
  return cached.get();
}

const std::vector<flv::Tag>* flv_input_tags(std::string* why) {
  static std::unique_ptr<std::vector<flv::Tag>> cached;
  static std::string error;
  static bool loaded = false;
  if (!loaded) {
    loaded = true;
    if (const Bytes* file = flv_input(&error)) {
      auto tags = std::make_unique<std::vector<flv::Tag>>();
      flv::Demuxer demux;
      demux.feed(as_span(*file));
      demux.finish();
      flv::Event ev;
      while (demux.next(&ev)) {
        if (ev.kind == flv::EventKind::kWarning || ev.kind == flv::EventKind::kError) {
          error = "the input FLV does not demux cleanly: " + ev.status.to_string();
          tags.reset();
          break;
        }
        if (ev.kind != flv::EventKind::kHeader) tags->push_back(ev.tag.to_tag());
      }
      if (tags && tags->empty()) error = "no tags in the input FLV";
      if (tags && !tags->empty()) cached = std::move(tags);
    }
  }
  if (!cached && why != nullptr) *why = error;
  return cached.get();
}

}  // namespace lw::bench
