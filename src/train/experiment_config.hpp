#pragma once
// Every section a training run resolves — [audio] [features] [data] [model] [train] [augment]
// [infer] [postprocess] — loaded from one TOML file plus --set overrides, validated together, and
// printed back as the TOML stored beside the run (and compared on --resume). Validation uses the
// [infer]/[postprocess] settings, so a fold is scored as `chorus predict` would score it.

#include <array>
#include <span>
#include <string>
#include <vector>

#include "audio/audio_config.hpp"
#include "augment/augment_config.hpp"
#include "core/config_fields.hpp"
#include "data/data_config.hpp"
#include "features/feature_config.hpp"
#include "infer/infer_config.hpp"
#include "infer/postprocess.hpp"
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

  // `file` may be empty (defaults); overrides are "section.key=value".
  void load(const std::string& file, const std::vector<std::string>& overrides);
  void validate() const;
  std::string to_toml() const;
};

// The config sections bound to one ExperimentConfig's members, in file order (for loading,
// printing and `chorus config`). The config must outlive it and stay in place.
class ExperimentSections {
 public:
  explicit ExperimentSections(ExperimentConfig& config);
  ExperimentSections(const ExperimentSections&) = delete;
  ExperimentSections& operator=(const ExperimentSections&) = delete;
  std::array<core::ConfigFields*, 8> list();

 private:
  core::ConfigFields audio_{"audio"}, features_{"features"}, data_{"data"}, model_{"model"},
      train_{"train"}, augment_{"augment"}, infer_{"infer"}, postprocess_{"postprocess"};
};

}  // namespace chorus::train
