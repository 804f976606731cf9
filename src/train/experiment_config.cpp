#include "train/experiment_config.hpp"

namespace chorus::train {

void ExperimentConfig::bind(core::ConfigSections& sections) {
  sections.bind(audio)
      .bind(features)
      .bind(data)
      .bind(model)
      .bind(train)
      .bind(augment)
      .bind(infer)
      .bind(postprocess)
      .bind(pseudo);
}

void ExperimentConfig::load(const core::ConfigSource& source) {
  core::ConfigSections sections;
  bind(sections);
  sections.load(source);
  validate();
}

void ExperimentConfig::validate() const {
  audio.validate();
  features.validate(audio.sample_rate);
  data.validate();
  model.validate();
  train.validate();
  augment.validate();
  infer.validate();
  postprocess.validate();
  pseudo.validate();
}

std::string ExperimentConfig::to_toml() const {
  ExperimentConfig copy = *this;  // binding needs mutable members
  core::ConfigSections sections;
  copy.bind(sections);
  return sections.to_toml();
}

}  // namespace chorus::train
