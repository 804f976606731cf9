#pragma once
// Content hashes (XXH3, 128 bits, as 32 hex digits) for cache keys: a file's bytes, or a text
// such as a canonical configuration. Not cryptographic; collisions are out of reach for caches.

#include <filesystem>
#include <string>
#include <string_view>

namespace chorus::core {

std::string hash_file(const std::filesystem::path& path);
std::string hash_text(std::string_view text);

}  // namespace chorus::core
