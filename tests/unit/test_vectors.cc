#include "test_vectors.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace lw::test {

std::string source_dir() { return LW_SOURCE_DIR; }

std::string vectors_dir() {
  if (const char* env = std::getenv("LW_TEST_VECTORS"); env && *env) return env;
  return source_dir() + "/build/vectors";
}

std::string golden_dir() { return source_dir() + "/tests/golden"; }

std::optional<Bytes> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool write_text(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

bool file_exists(const std::string& path) { return std::filesystem::exists(path); }

Bytes from_hex(std::string_view text) {
  Bytes out;
  int hi = -1;
  for (char c : text) {
    const int n = (c >= '0' && c <= '9')   ? c - '0'
                  : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                  : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                           : -1;
    if (n < 0) continue;
    if (hi < 0) {
      hi = n;
    } else {
      out.push_back(static_cast<uint8_t>(hi << 4 | n));
      hi = -1;
    }
  }
  return out;
}

std::string check_golden(const std::string& name, const std::string& actual) {
  const std::string path = golden_dir() + "/" + name;
  const char* regen = std::getenv("LW_REGENERATE_GOLDEN");
  if (regen && std::string(regen) == "1") {
    return write_text(path, actual) ? "" : "cannot write " + path;
  }
  auto expected = read_text(path);
  if (!expected) return "missing golden " + path + " (run with LW_REGENERATE_GOLDEN=1)";
  if (*expected == actual) return "";
  std::istringstream e(*expected), a(actual);
  std::string el, al;
  for (int line = 1;; ++line) {
    bool he = static_cast<bool>(std::getline(e, el));
    bool ha = static_cast<bool>(std::getline(a, al));
    if (!he && !ha) break;
    if (!he || !ha || el != al) {
      return name + ":" + std::to_string(line) + "\n  expected: " + (he ? el : "<end>") +
             "\n  actual:   " + (ha ? al : "<end>");
    }
  }
  return name + ": differs (line endings?)";
}

}  // namespace lw::test
