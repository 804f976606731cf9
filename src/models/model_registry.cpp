#include "models/model_registry.hpp"

#include <fmt/ranges.h>

#include "core/error.hpp"
#include "models/efficientnet.hpp"
#include "models/regnet.hpp"
#include "models/resnet.hpp"

namespace chorus::models {
namespace {

BackboneOptions options(const ModelConfig& c) {
  return {.in_channels = c.in_channels, .num_classes = c.num_classes, .dropout = c.dropout};
}

}  // namespace

const std::vector<ModelEntry>& model_registry() {
  static const std::vector<ModelEntry> registry{
      {"resnet18", "torchvision.models.resnet18", "conv1.weight", "fc.",
       [](const ModelConfig& c) {
         return std::make_shared<ResNetImpl>(std::array{2, 2, 2, 2}, options(c));
       }},
      {"resnet34", "torchvision.models.resnet34", "conv1.weight", "fc.",
       [](const ModelConfig& c) {
         return std::make_shared<ResNetImpl>(std::array{3, 4, 6, 3}, options(c));
       }},
      {"efficientnet_b0", "torchvision.models.efficientnet_b0", "features.0.0.weight",
       "classifier.1.",
       [](const ModelConfig& c) { return std::make_shared<EfficientNetB0Impl>(options(c)); }},
      {"regnet_y_800mf", "torchvision.models.regnet_y_800mf", "stem.0.weight", "fc.",
       [](const ModelConfig& c) { return std::make_shared<RegNetY800MFImpl>(options(c)); }},
  };
  return registry;
}

std::vector<std::string> model_names() {
  std::vector<std::string> names;
  for (const ModelEntry& entry : model_registry()) names.push_back(entry.name);
  return names;
}

const ModelEntry& find_model(std::string_view name) {
  for (const ModelEntry& entry : model_registry())
    if (entry.name == name) return entry;
  throw ModelError(fmt::format("unknown model architecture '{}' (known: {})", name,
                               fmt::join(model_names(), ", ")));
}

std::shared_ptr<Backbone> create_backbone(const ModelConfig& config) {
  config.validate();
  return find_model(config.arch).create(config);
}

torch::nn::AnyModule create_model(const ModelConfig& config) {
  return torch::nn::AnyModule(create_backbone(config));
}

}  // namespace chorus::models
