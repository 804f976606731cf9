#pragma once
// The one list of model architectures chorus can build: name → factory. Every backbone takes
// [N, in_channels, H, W] and returns logits [N, num_classes] (and its feature map).

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
  std::string name;                       // ModelConfig::arch
  std::vector<std::string> aliases;       // other names for the same entry (timm's: regnety_008)
  std::string reference;                  // the implementation its structure and weights match
  std::string first_conv_weight;          // state-dict key of the input convolution's weight
  std::string classifier;                 // state-dict prefix of the final linear layer ("fc.")
  double default_dropout = 0.2;           // ModelConfig::dropout = -1 means this
  double default_stochastic_depth = 0.0;  // ModelConfig::stochastic_depth = -1 means this
  std::function<std::shared_ptr<Backbone>(const BackboneOptions&)> create;
};

const std::vector<ModelEntry>& model_registry();
// The entries' names, in registry order.
std::vector<std::string> model_names();
// The names followed by the aliases: every value ModelConfig::arch accepts.
std::vector<std::string> model_names_and_aliases();
// The entry named or aliased `name`; a ModelError listing the known names when there is none.
const ModelEntry& find_model(std::string_view name);

// Validate `config` and build its architecture alone, freshly initialised, in training mode, with
// the architecture's own classifier (backbone_in_channels() input planes). Most callers want
// create_network (network.hpp), which adds the head and the coordinate plane.
std::shared_ptr<Backbone> create_backbone(const ModelConfig& config);
// create_network type-erased with forward = logits.
torch::nn::AnyModule create_model(const ModelConfig& config);

}  // namespace chorus::models
