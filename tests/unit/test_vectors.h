// Helpers shared by the unit tests: where the test vectors live, reading files, golden comparisons.
//
// Vectors (FLV files made by Debian's ffmpeg, ffprobe's view of them) are produced at test time by
// tests/vectors/make_vectors.sh into build/vectors/ (override with LW_TEST_VECTORS natively).
// Goldens are committed text under tests/golden/; LW_REGENERATE_GOLDEN=1 rewrites them instead of
// comparing (natively; the wasm build only compares).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"

namespace lw::test {

// The repository root this build was configured from.
std::string source_dir();
std::string vectors_dir();
std::string golden_dir();
std::optional<Bytes> read_file(const std::string& path);
std::optional<std::string> read_text(const std::string& path);
bool write_text(const std::string& path, const std::string& text);
bool file_exists(const std::string& path);

// "00 00 01" or "000001" -> bytes; anything that is not a hex digit separates (test literals).
Bytes from_hex(std::string_view text);

// Compares `actual` with tests/golden/<name>; with LW_REGENERATE_GOLDEN=1 writes it instead.
// Returns an empty string on success, otherwise a message with the first differing line.
std::string check_golden(const std::string& name, const std::string& actual);

}  // namespace lw::test
