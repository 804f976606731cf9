#pragma once
// What a chorus checkpoint's metadata (key "chorus" of its safetensors header) says besides its
// [model] section, read without LibTorch: what a compiled model needs to score recordings (the
// [audio] and [features] settings it was trained with, its classes and their names, its int8
// calibration and its description for inference) and the fold it held out. models::Checkpoint
// reads the rest (the [model] section, checked against the model registry) on top of it.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audio/audio_config.hpp"
#include "features/feature_config.hpp"
#include "formats/species_names.hpp"
#include "graph/compiled_model.hpp"
#include "graph/int8_calibration.hpp"

namespace chorus::checkpoint {

inline constexpr int kCheckpointFormat = 1;

struct Metadata {
  std::string stored_config;  // the TOML of the [model], [audio] and [features] sections
  audio::AudioConfig audio;
  features::FeatureConfig features;
  std::vector<std::string> classes;  // output order
  formats::SpeciesNames names;       // empty when none were known
  int held_out_fold = -1;            // −1: none (see models::Checkpoint)
  std::string fold_digest;
  graph::Int8Calibration int8;                         // empty when not calibrated
  std::optional<graph::NetworkDescription> inference;  // none in checkpoints before it was stored
};

// A FormatError naming `path` when there is no "chorus" entry (not a chorus checkpoint), its
// format is another, or anything in it does not parse; a ConfigError for invalid settings.
Metadata read_metadata(const std::map<std::string, std::string>& safetensors_metadata,
                       const std::filesystem::path& path);
// The same from the file's header alone.
Metadata read_metadata(const std::filesystem::path& path);

}  // namespace chorus::checkpoint
