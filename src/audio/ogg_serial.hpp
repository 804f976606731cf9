#pragma once
// Ogg's stream serial number. Encoders draw it at random (libsndfile seeds it from the clock),
// so the same audio encoded twice gives different bytes, and anything keyed by file content
// (the feature cache) misses. Reproducible encoders fix it instead; chorus derives it from the
// file's name, so a regenerated dataset is byte-identical to the first one.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

namespace chorus::audio {

// The serial chorus gives a stream written under `file_name` (the name only, not the folder).
std::uint32_t ogg_serial_for(std::string_view file_name);

// Rewrites every page of a single-stream Ogg file with `serial` and recomputes the page
// checksums. A FormatError names `where` if the bytes are not such a file; they are then left
// unchanged.
void set_ogg_serial(std::span<std::uint8_t> bytes, std::uint32_t serial, std::string_view where);
void set_ogg_serial(const std::filesystem::path& path, std::uint32_t serial);

}  // namespace chorus::audio
