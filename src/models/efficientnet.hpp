#pragma once
// EfficientNet-B0…B3 (Tan & Le 2019) with the structure and state-dict names of
// torchvision.models.efficientnet_b0 … efficientnet_b3 (torchvision 0.14, efficientnet.py:
// EfficientNet, MBConv, _efficientnet_conf), so torchvision weights load unchanged:
//   features.0        stem Conv2dNormActivation 3×3/2, SiLU
//   features.1 … 7    stages of MBConv blocks: block.{expand, depthwise, SE (fc1/fc2), project}
//   features.8        1×1 Conv2dNormActivation to 4× the last stage's width, SiLU
//   classifier.1      Linear after Dropout (classifier.0)
// A variant scales B0's stage table: widths by width_mult rounded with torchvision's
// _make_divisible(·, 8), block counts by ceil(depth_mult · blocks).
// BatchNorm eps is 1e-5: torchvision's efficientnet_b0…b4 keep nn.BatchNorm2d's default (only
// B5–B7 and V2 pass eps=1e-3), and matching its outputs is what the oracle test checks.
// Stochastic depth (per-sample, "row" mode) is active in training only.
//
// Input [N, in_channels, H, W]; features [N, num_features(), H/32, W/32] (B0 1280, B1 1280,
// B2 1408, B3 1536); logits [N, num_classes].

#include <torch/nn/module.h>

#include <string_view>

#include "models/backbone.hpp"
#include "models/layers.hpp"
#include "models/lowering.hpp"

namespace chorus::models {

// One compound-scaling step of the family (torchvision's efficientnet_bN arguments).
struct EfficientNetVariant {
  std::string_view name;
  double width_mult = 1.0;  // channel multiplier of every stage
  double depth_mult = 1.0;  // block-count multiplier of every stage
  double dropout = 0.2;     // torchvision's classifier dropout for this variant
};
inline constexpr EfficientNetVariant kEfficientNetB0{"efficientnet_b0", 1.0, 1.0, 0.2};
inline constexpr EfficientNetVariant kEfficientNetB1{"efficientnet_b1", 1.0, 1.1, 0.2};
inline constexpr EfficientNetVariant kEfficientNetB2{"efficientnet_b2", 1.1, 1.2, 0.3};
inline constexpr EfficientNetVariant kEfficientNetB3{"efficientnet_b3", 1.2, 1.4, 0.3};

// torchvision.models._utils._make_divisible: `value` rounded to the nearest multiple of
// `divisor` (at least `divisor`), never more than 10 % below `value`.
int make_divisible(double value, int divisor);

// torchvision.models.efficientnet.MBConv: expand 1×1 (when expand_ratio > 1) → depthwise k×k →
// squeeze-excitation → project 1×1; residual with stochastic depth when shapes allow.
struct MBConvOptions {
  int expand_ratio = 6;
  int kernel_size = 3;
  int stride = 1;
  int in_channels = 0;
  int out_channels = 0;
  double stochastic_depth = 0.0;  // probability of dropping the residual branch, per sample
};

class MBConvImpl : public torch::nn::Module, public LowerableModule {
 public:
  explicit MBConvImpl(const MBConvOptions& options);
  torch::Tensor forward(const torch::Tensor& x);
  GraphValue lower(GraphBuilder& graph, GraphValue x) const override;

 private:
  Layers block_{nullptr};
  bool residual_ = false;
  double stochastic_depth_ = 0.0;
};
TORCH_MODULE(MBConv);

class EfficientNetImpl : public Backbone {
 public:
  // options.stochastic_depth is the last block's drop probability (torchvision's 0.2), linear
  // in the block index from 0 for the first.
  EfficientNetImpl(const EfficientNetVariant& variant, const BackboneOptions& options);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  GraphValue lower_features(GraphBuilder& graph, GraphValue x) const override;
  torch::Tensor classify(const torch::Tensor& features) override;
  int num_features() const override { return num_features_; }
  const torch::nn::LinearImpl& classifier() const override;

 private:
  int num_features_ = 0;
  Layers features_{nullptr};
  Layers classifier_{nullptr};
};
TORCH_MODULE(EfficientNet);

}  // namespace chorus::models
