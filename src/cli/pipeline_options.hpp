#pragma once
// Options every computing command shares: --threads, --config FILE, --set section.key=value,
// and the [audio] and [features] sections they resolve into.

#include <CLI/CLI.hpp>
#include <array>
#include <span>
#include <string>
#include <vector>

#include "audio/audio_config.hpp"
#include "core/config_fields.hpp"
#include "features/feature_config.hpp"

namespace chorus::cli {

struct PipelineOptions {
  PipelineOptions();
  PipelineOptions(const PipelineOptions&) = delete;  // the sections point into this object
  PipelineOptions& operator=(const PipelineOptions&) = delete;

  int threads = 1;
  std::string config_file;
  std::vector<std::string> overrides;
  audio::AudioConfig audio;
  features::FeatureConfig features;

  void add_to(CLI::App& command);
  // Loads the config file, applies --set, validates. Call once, after parsing. `extra` are
  // further sections the command reads from the same file and --set (import's [model]); the
  // caller validates them.
  void resolve(std::span<core::ConfigFields* const> extra = {});
  // The config sections bound to the structs above, for loading, printing and documenting.
  std::array<core::ConfigFields*, 2> sections() { return {&audio_fields_, &feature_fields_}; }

 private:
  core::ConfigFields audio_fields_{"audio"};
  core::ConfigFields feature_fields_{"features"};
};

}  // namespace chorus::cli
