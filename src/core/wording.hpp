#pragma once
// Small pieces of the text commands print, so every command words them alike.

#include <fmt/format.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace chorus::core {

// "1 recording", "3 recordings" (nouns with a regular plural).
inline std::string counted(std::size_t count, std::string_view noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

}  // namespace chorus::core
