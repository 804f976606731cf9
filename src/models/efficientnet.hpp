#pragma once
// EfficientNet-B0 (Tan & Le 2019) with the structure and state-dict names of
// torchvision.models.efficientnet_b0 (torchvision 0.14, efficientnet.py: EfficientNet, MBConv),
// so torchvision weights load unchanged:
//   features.0        stem Conv2dNormActivation 3×3/2 → 32, SiLU
//   features.1 … 7    stages of MBConv blocks: block.{expand, depthwise, SE (fc1/fc2), project}
//   features.8        1×1 Conv2dNormActivation 320 → 1280, SiLU
//   classifier.1      Linear after Dropout (classifier.0)
// BatchNorm eps is 1e-5: torchvision's efficientnet_b0 keeps nn.BatchNorm2d's default (only
// B5–B7 and V2 pass eps=1e-3), and matching its outputs is what the oracle test checks.
// Stochastic depth (per-sample, "row" mode) is active in training only.
//
// Input [N, in_channels, H, W]; features [N, 1280, H/32, W/32]; logits [N, num_classes].

#include <torch/nn/module.h>

#include "models/backbone.hpp"
#include "models/layers.hpp"

namespace chorus::models {

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

class MBConvImpl : public torch::nn::Module {
 public:
  explicit MBConvImpl(const MBConvOptions& options);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  Layers block_{nullptr};
  bool residual_ = false;
  double stochastic_depth_ = 0.0;
};
TORCH_MODULE(MBConv);

class EfficientNetB0Impl : public Backbone {
 public:
  // stochastic_depth: the last block's drop probability (torchvision's 0.2), linear in the block
  // index from 0 for the first. (torchvision's classifier dropout default is 0.2.)
  explicit EfficientNetB0Impl(const BackboneOptions& options, double stochastic_depth = 0.2);
  torch::Tensor forward(const torch::Tensor& x) override;
  torch::Tensor forward_features(const torch::Tensor& x) override;
  int num_features() const override { return 1280; }

 private:
  Layers features_{nullptr};
  Layers classifier_{nullptr};
};
TORCH_MODULE(EfficientNetB0);

}  // namespace chorus::models
