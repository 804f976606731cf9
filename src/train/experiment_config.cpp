#include "train/experiment_config.hpp"

#include <array>

#include "core/config_file.hpp"

namespace chorus::train {
namespace {

// The config sections bound to one ExperimentConfig's members.
struct Sections {
  explicit Sections(ExperimentConfig& c) {
    c.audio.register_fields(audio);
    c.features.register_fields(features);
    c.data.register_fields(data);
    c.model.register_fields(model);
    c.train.register_fields(train);
    c.augment.register_fields(augment);
    c.infer.register_fields(infer);
    c.postprocess.register_fields(postprocess);
  }
  std::array<core::ConfigFields*, 8> list() {
    return {&audio, &features, &data, &model, &train, &augment, &infer, &postprocess};
  }
  core::ConfigFields audio{"audio"}, features{"features"}, data{"data"}, model{"model"},
      train{"train"}, augment{"augment"}, infer{"infer"}, postprocess{"postprocess"};
};

}  // namespace

void ExperimentConfig::load(const std::string& file, const std::vector<std::string>& overrides) {
  Sections sections(*this);
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
  Sections sections(copy);
  return core::config_to_toml(sections.list());
}

}  // namespace chorus::train
