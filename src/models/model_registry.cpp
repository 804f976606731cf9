#include "models/model_registry.hpp"

#include <fmt/ranges.h>

#include <algorithm>

#include "core/error.hpp"
#include "models/efficientnet.hpp"
#include "models/network.hpp"
#include "models/regnet.hpp"
#include "models/resnet.hpp"

namespace chorus::models {
namespace {

ModelEntry efficientnet(const EfficientNetVariant& variant) {
  return {std::string(variant.name),
          {},
          "torchvision.models." + std::string(variant.name),
          "features.0.0.weight",
          "classifier.1.",
          variant.dropout,
          0.2,  // torchvision's stochastic_depth_prob
          [&variant](const BackboneOptions& o) {
            return std::make_shared<EfficientNetImpl>(variant, o);
          }};
}

ModelEntry regnet(const RegNetVariant& variant, std::string alias) {
  return {
      std::string(variant.name),
      {std::move(alias)},
      "torchvision.models." + std::string(variant.name),
      "stem.0.weight",
      "fc.",
      0.2,
      0.0,  // torchvision's RegNet has no stochastic depth
      [&variant](const BackboneOptions& o) { return std::make_shared<RegNetImpl>(variant, o); }};
}

ModelEntry resnet(std::string name, std::array<int, 4> blocks) {
  return {name,
          {},
          "torchvision.models." + name,
          "conv1.weight",
          "fc.",
          0.2,
          0.0,  // torchvision's ResNet has no stochastic depth
          [blocks](const BackboneOptions& o) { return std::make_shared<ResNetImpl>(blocks, o); }};
}

}  // namespace

const std::vector<ModelEntry>& model_registry() {
  static const std::vector<ModelEntry> registry{
      resnet("resnet18", {2, 2, 2, 2}),     resnet("resnet34", {3, 4, 6, 3}),
      efficientnet(kEfficientNetB0),        efficientnet(kEfficientNetB1),
      efficientnet(kEfficientNetB2),        efficientnet(kEfficientNetB3),
      regnet(kRegNetY800MF, "regnety_008"), regnet(kRegNetY1_6GF, "regnety_016"),
  };
  return registry;
}

std::vector<std::string> model_names() {
  std::vector<std::string> names;
  for (const ModelEntry& entry : model_registry()) names.push_back(entry.name);
  return names;
}

std::vector<std::string> model_names_and_aliases() {
  std::vector<std::string> names = model_names();
  for (const ModelEntry& entry : model_registry())
    names.insert(names.end(), entry.aliases.begin(), entry.aliases.end());
  return names;
}

const ModelEntry& find_model(std::string_view name) {
  for (const ModelEntry& entry : model_registry())
    if (entry.name == name || std::ranges::find(entry.aliases, name) != entry.aliases.end())
      return entry;
  throw ModelError(fmt::format("unknown model architecture '{}' (known: {})", name,
                               fmt::join(model_names_and_aliases(), ", ")));
}

std::shared_ptr<Backbone> create_backbone(const ModelConfig& config) {
  config.validate();
  return find_model(config.arch)
      .create({.in_channels = config.backbone_in_channels(),
               .num_classes = config.num_classes,
               .dropout = config.resolved_dropout(),
               .stochastic_depth = config.resolved_stochastic_depth()});
}

torch::nn::AnyModule create_model(const ModelConfig& config) {
  return torch::nn::AnyModule(create_network(config));
}

}  // namespace chorus::models
