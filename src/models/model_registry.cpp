#include "models/model_registry.hpp"

#include <fmt/ranges.h>

#include "core/error.hpp"
#include "models/efficientnet.hpp"
#include "models/regnet.hpp"
#include "models/resnet.hpp"

namespace chorus::models {
namespace {

torch::nn::AnyModule make_resnet(const ModelConfig& c, std::array<int, 4> blocks_per_stage) {
  return torch::nn::AnyModule(ResNet(ResNetOptions{.blocks_per_stage = blocks_per_stage,
                                                   .in_channels = c.in_channels,
                                                   .num_classes = c.num_classes,
                                                   .dropout = c.dropout}));
}

}  // namespace

const std::vector<ModelEntry>& model_registry() {
  static const std::vector<ModelEntry> registry{
      {"resnet18", "torchvision.models.resnet18", "conv1.weight", "fc.",
       [](const ModelConfig& c) {
         return make_resnet(c, {2, 2, 2, 2});
       }},
      {"resnet34", "torchvision.models.resnet34", "conv1.weight", "fc.",
       [](const ModelConfig& c) {
         return make_resnet(c, {3, 4, 6, 3});
       }},
      {"efficientnet_b0", "torchvision.models.efficientnet_b0", "features.0.0.weight",
       "classifier.1.",
       [](const ModelConfig& c) {
         return torch::nn::AnyModule(EfficientNetB0(EfficientNetOptions{
             .in_channels = c.in_channels, .num_classes = c.num_classes, .dropout = c.dropout}));
       }},
      {"regnet_y_800mf", "torchvision.models.regnet_y_800mf", "stem.0.weight", "fc.",
       [](const ModelConfig& c) {
         return torch::nn::AnyModule(RegNetY800MF(RegNetOptions{
             .in_channels = c.in_channels, .num_classes = c.num_classes, .dropout = c.dropout}));
       }},
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

torch::nn::AnyModule create_model(const ModelConfig& config) {
  config.validate();
  return find_model(config.arch).create(config);
}

}  // namespace chorus::models
