#pragma once
// Options every computing command shares: --threads, --config FILE, --set section.key=value,
// and the [audio] and [features] sections they resolve into.

#include <CLI/CLI.hpp>

#include "audio/audio_config.hpp"
#include "core/config_file.hpp"
#include "features/feature_config.hpp"

namespace chorus::cli {

struct PipelineOptions {
  int threads = 1;
  core::ConfigSource config;
  audio::AudioConfig audio;
  features::FeatureConfig features;

  void add_to(CLI::App& command);
  // Loads the config file, applies --set, validates. Call once, after parsing. `sections` are
  // bound to further sections the command reads from the same file and --set (import's
  // [model]); the caller validates those. [audio] and [features] are added to them.
  void resolve(core::ConfigSections& sections);
  void resolve() {
    core::ConfigSections sections;
    resolve(sections);
  }
};

}  // namespace chorus::cli
