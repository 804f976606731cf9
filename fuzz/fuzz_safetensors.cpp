// The safetensors header of a checkpoint or of imported weights: its length, its JSON, every
// entry's dtype, shape and offsets, and the "chorus" metadata a checkpoint keeps there (the
// stored configuration is fuzzed by fuzz_config).

#include <nlohmann/json.hpp>
#include <string_view>

#include "checkpoint/safetensors_header.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view file(reinterpret_cast<const char*>(data), size);
  try {
    const auto header = chorus::checkpoint::parse_safetensors_header(file, "fuzz.safetensors");
    const auto chorus_metadata = header.metadata.find("chorus");
    if (chorus_metadata != header.metadata.end())
      static_cast<void>(nlohmann::json::parse(chorus_metadata->second, nullptr, false));
  } catch (const chorus::Error&) {
  }
  return 0;
}
