#pragma once
// RegNetY-800MF (Radosavovic et al. 2020) with the structure and state-dict names of
// torchvision.models.regnet_y_800mf (torchvision 0.14, regnet.py: RegNet, ResBottleneckBlock,
// BottleneckTransform, AnyStage), so torchvision weights load unchanged:
//   stem                      Conv2dNormActivation 3×3/2 → 32, ReLU
//   trunk_output.blockS.blockS-I.{proj, f.a, f.b, f.se (fc1/fc2), f.c}
//   fc                        Linear (chorus adds a parameter-free dropout before it)
// BatchNorm eps 1e-5, ReLU everywhere (squeeze-excitation included).
//
// Input [N, in_channels, H, W]; features [N, 784, H/32, W/32]; logits [N, num_classes].

#include <torch/nn/module.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include "models/backbone.hpp"
#include "models/layers.hpp"

namespace chorus::models {

// torchvision.models.regnet.ResBottleneckBlock with its BottleneckTransform `f`: 1×1 → grouped
// 3×3 (stride) → squeeze-excitation → 1×1, plus a projected shortcut when the shape changes.
struct RegNetBlockOptions {
  int in_channels = 0;
  int out_channels = 0;
  int stride = 1;
  int group_width = 16;
  double se_ratio = 0.25;  // squeeze width relative to the block's input width
};

class ResBottleneckBlockImpl : public torch::nn::Module {
 public:
  explicit ResBottleneckBlockImpl(const RegNetBlockOptions& options);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  Layers proj_{nullptr};  // null for an identity shortcut
  Layers f_{nullptr};
};
TORCH_MODULE(ResBottleneckBlock);

class RegNetY800MFImpl : public Backbone {
 public:
  explicit RegNetY800MFImpl(const BackboneOptions& options);
  torch::Tensor forward(const torch::Tensor& x) override;
  torch::Tensor forward_features(const torch::Tensor& x) override;
  int num_features() const override;

 private:
  Layers stem_{nullptr};
  Layers trunk_output_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Linear fc_{nullptr};
};
TORCH_MODULE(RegNetY800MF);

}  // namespace chorus::models
