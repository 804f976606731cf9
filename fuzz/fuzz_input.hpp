#pragma once
// What every fuzz target shares: libFuzzer hands bytes, chorus's readers take paths (as users
// give them), so each input is written to one scratch file per process and read from there.
// A reader may refuse an input with chorus::Error, which names the file and the problem; any
// other exception, a crash, a leak or undefined behaviour is a finding.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace chorus::fuzz {

// The scratch file for this process, with `extension` (some readers choose by it).
inline std::filesystem::path scratch_file(std::string_view extension) {
  const char* dir = std::getenv("TMPDIR");
  return std::filesystem::path(dir != nullptr ? dir : "/tmp") /
         ("chorus-fuzz-" + std::to_string(::getpid()) + std::string(extension));
}

inline std::filesystem::path write_input(const std::uint8_t* data, std::size_t size,
                                         std::string_view extension) {
  const std::filesystem::path path = scratch_file(extension);
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

// Runs `read` on the input written as a file; a chorus::Error is a clean refusal.
template <typename Read>
int read_as_file(const std::uint8_t* data, std::size_t size, std::string_view extension,
                 Read&& read) {
  const std::filesystem::path path = write_input(data, size, extension);
  try {
    read(path);
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace chorus::fuzz
