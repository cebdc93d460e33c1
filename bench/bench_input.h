// Inputs shared by the benchmarks: the real FLV file made by bench/run.sh (Debian ffmpeg, 640x360
// H.264 + AAC, 30 s), read once per process. Real AMF0 wire bytes are in amf0_wire_samples.h.
#pragma once

#include <string>
#include <vector>

#include "base/bytes.h"
#include "flv/flv_tag.h"

namespace lw::bench {

// The FLV named by $LW_BENCH_FLV. nullptr when unset or unreadable; `why` then says which
// (benchmarks pass it to SkipWithError).
const Bytes* flv_input(std::string* why);

// The tags of that file (script, audio, video, in file order), demuxed once. nullptr when the file
// is missing or does not demux cleanly (any warning or error), with `why`.
const std::vector<flv::Tag>* flv_input_tags(std::string* why);

}  // namespace lw::bench
