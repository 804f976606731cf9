#include "train/experiment_config.hpp"

#include "core/config_file.hpp"

namespace chorus::train {
ExperimentSections::ExperimentSections(ExperimentConfig& c) {
  c.audio.register_fields(audio_);
  c.features.register_fields(features_);
  c.data.register_fields(data_);
  c.model.register_fields(model_);
  c.train.register_fields(train_);
  c.augment.register_fields(augment_);
  c.infer.register_fields(infer_);
  c.postprocess.register_fields(postprocess_);
}

std::array<core::ConfigFields*, 8> ExperimentSections::list() {
  return {&audio_, &features_, &data_, &model_, &train_, &augment_, &infer_, &postprocess_};
}

void ExperimentConfig::load(const std::string& file, const std::vector<std::string>& overrides) {
  ExperimentSections sections(*this);
  if (!file.empty()) core::load_config_file(file, sections.list());
  core::apply_overrides(overrides, sections.list());
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
}

std::string ExperimentConfig::to_toml() const {
  ExperimentConfig copy = *this;  // register_fields binds mutable members
  ExperimentSections sections(copy);
  return core::config_to_toml(sections.list());
}

}  // namespace chorus::train
