#pragma once
// [model]: which network and how it meets the data.

#include <string>

#include "core/config_fields.hpp"

namespace chorus::models {

struct ModelConfig {
  std::string arch = "efficientnet_b0";  // a name in the model registry (model_registry.hpp)
  int in_channels = 1;                   // input planes: 1 for a log-mel, 3 for an RGB image
  int num_classes = 182;                 // outputs (BirdCLEF 2024: 182 species)
  double dropout = 0.2;                  // probability, before the classifier's linear layer

  void register_fields(core::ConfigFields& fields);
  void validate() const;
};

}  // namespace chorus::models
