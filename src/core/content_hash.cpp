#include "core/content_hash.hpp"

#include <xxhash.h>

#include <fstream>
#include <memory>
#include <vector>

#include "core/error.hpp"

namespace chorus::core {
namespace {

std::string hex(XXH128_hash_t h) { return fmt::format("{:016x}{:016x}", h.high64, h.low64); }

}  // namespace

std::string hash_file(const std::filesystem::path& path) {
  std::error_code ec;
  // A folder opens as a stream on Linux and fails at its first read.
  CHORUS_CHECK_AS(IoError, !std::filesystem::is_directory(path, ec), "{}: a folder, not a file",
                  path.string());
  std::ifstream in(path, std::ios::binary);
  CHORUS_CHECK_AS(IoError, in.good(), "{}: cannot open for hashing", path.string());
  std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state(XXH3_createState(),
                                                                 XXH3_freeState);
  XXH3_128bits_reset(state.get());
  std::vector<char> block(1 << 20);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    XXH3_128bits_update(state.get(), block.data(), static_cast<std::size_t>(in.gcount()));
  }
  CHORUS_CHECK_AS(IoError, in.eof(), "{}: read error while hashing", path.string());
  return hex(XXH3_128bits_digest(state.get()));
}

std::string hash_text(std::string_view text) { return hex(XXH3_128bits(text.data(), text.size())); }

}  // namespace chorus::core
