#pragma once
// Every section a training run resolves — [audio] [features] [data] [model] [train] [augment]
// [infer] [postprocess] [pseudo] — loaded from one TOML file plus --set overrides, validated
// together, and printed back as the TOML stored beside the run (and compared on --resume).
// Validation uses the [infer]/[postprocess] settings, so a fold is scored as `chorus predict` would
// score it.

#include <string>

#include "audio/audio_config.hpp"
#include "augment/augment_config.hpp"
#include "core/config_file.hpp"
#include "data/data_config.hpp"
#include "features/feature_config.hpp"
#include "infer/infer_config.hpp"
#include "infer/postprocess.hpp"
#include "infer/pseudo_labels.hpp"
#include "models/model_config.hpp"
#include "train/train_config.hpp"

namespace chorus::train {

struct ExperimentConfig {
  audio::AudioConfig audio;
  features::FeatureConfig features;
  data::DataConfig data;
  models::ModelConfig model;
  TrainConfig train;
  augment::AugmentConfig augment;
  infer::InferConfig infer;
  infer::PostprocessConfig postprocess;
  infer::PseudoConfig pseudo;  // how `chorus pseudo` and self-training rounds make their labels

  void load(const core::ConfigSource& source);  // then validate()
  void validate() const;
  std::string to_toml() const;
  // Every section bound to this config's members, in file order (for loading, printing and
  // `chorus config`). This config must outlive `sections` and stay in place.
  void bind(core::ConfigSections& sections);
};

}  // namespace chorus::train
