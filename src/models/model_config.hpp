#pragma once
// [model]: which network and how it meets the data.

#include <array>
#include <string>
#include <string_view>

#include "core/config_fields.hpp"
#include "core/enum_names.hpp"
#include "graph/head.hpp"

namespace chorus::models {

using graph::HeadKind;  // linear, gem or sed (graph/head.hpp)

struct ModelConfig {
  static constexpr std::string_view kSection = "model";
  std::string arch =
      "efficientnet_b0";  // a name or alias in the model registry (model_registry.hpp)
  int in_channels = 1;    // input planes: 1 for a log-mel, 3 for an RGB image
  int num_classes = 182;  // outputs (BirdCLEF 2024: 182 species)
  // Probability, before the head's linear layer; -1 = the architecture's default (torchvision's:
  // efficientnet_b0/b1 0.2, b2/b3 0.3; chorus's 0.2 for the others, which torchvision gives none).
  double dropout = -1.0;
  // The last residual block's probability of skipping its branch in training (stochastic depth;
  // earlier blocks scale down linearly); -1 = the architecture's default (torchvision's:
  // EfficientNet 0.2, ResNet and RegNet none).
  double stochastic_depth = -1.0;
  HeadKind head = HeadKind::linear;
  double gem_p = 3.0;       // initial exponent of the GeM head's learnable p (1 = mean, ∞ = max)
  bool coord_conv = false;  // add a frequency-coordinate input plane (−1 lowest mel … +1 highest)

  void register_fields(core::ConfigFields& fields);
  void validate() const;
  // dropout and stochastic_depth, or the architecture's default where they are -1.
  double resolved_dropout() const;
  double resolved_stochastic_depth() const;
  // Planes the backbone's first convolution sees: in_channels, plus one with coord_conv.
  int backbone_in_channels() const { return in_channels + (coord_conv ? 1 : 0); }
};

}  // namespace chorus::models
