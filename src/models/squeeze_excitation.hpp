#pragma once
// Squeeze-and-excitation (Hu et al. 2018) as torchvision.ops.SqueezeExcitation computes it:
// global average → 1×1 conv `fc1` → activation → 1×1 conv `fc2` → sigmoid → channel scale.
// Parameter names fc1/fc2 match torchvision's (EfficientNet with SiLU, RegNetY with ReLU).

#include <torch/nn/module.h>
#include <torch/nn/modules/container/any.h>
#include <torch/nn/modules/conv.h>

#include "models/conv_norm_activation.hpp"
#include "models/lowering.hpp"

namespace chorus::models {

class SqueezeExcitationImpl : public torch::nn::Module, public LowerableModule {
 public:
  SqueezeExcitationImpl(int channels, int squeeze_channels, Activation activation);
  // [N, C, H, W] → same shape.
  torch::Tensor forward(const torch::Tensor& x);
  GraphValue lower(GraphBuilder& graph, GraphValue x) const override;

 private:
  torch::nn::Conv2d fc1_{nullptr};
  torch::nn::Conv2d fc2_{nullptr};
  torch::nn::AnyModule activation_;
  Activation activation_kind_;
};
TORCH_MODULE(SqueezeExcitation);

}  // namespace chorus::models
