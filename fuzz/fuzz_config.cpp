// TOML configuration as a recipe file or a checkpoint's stored configuration: the parser, then
// every key of [audio] and [features] checked against its declared type, choices and range.

#include <string>

#include "audio/audio_config.hpp"
#include "core/config_file.hpp"
#include "features/feature_config.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  chorus::audio::AudioConfig audio;
  chorus::features::FeatureConfig features;
  chorus::core::ConfigSections sections;
  sections.bind(audio).bind(features);
  try {
    sections.load_text(std::string(reinterpret_cast<const char*>(data), size), "fuzz.toml");
    audio.validate();
    features.validate(audio.sample_rate);
  } catch (const chorus::Error&) {
  }
  return 0;
}
