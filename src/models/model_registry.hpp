#pragma once
// The one list of model architectures chorus can build: name → factory. Every model takes
// [N, in_channels, H, W] and returns logits [N, num_classes].

#include <torch/nn/modules/container/any.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "models/backbone.hpp"
#include "models/model_config.hpp"

namespace chorus::models {

struct ModelEntry {
  std::string name;               // ModelConfig::arch
  std::string reference;          // the implementation its structure and weights match
  std::string first_conv_weight;  // state-dict key of the input convolution's weight
  std::string classifier;         // state-dict prefix of the final linear layer ("fc.")
  std::function<std::shared_ptr<Backbone>(const ModelConfig&)> create;
};

const std::vector<ModelEntry>& model_registry();
std::vector<std::string> model_names();
// A ModelError listing the known names when `name` is not one of them.
const ModelEntry& find_model(std::string_view name);

// Validate `config` and build the network, freshly initialised, in training mode: as a Backbone
// (feature map and logits), or type-erased with forward = logits.
std::shared_ptr<Backbone> create_backbone(const ModelConfig& config);
torch::nn::AnyModule create_model(const ModelConfig& config);

}  // namespace chorus::models
