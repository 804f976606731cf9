#pragma once
// RegNetY (Radosavovic et al. 2020) with the structure and state-dict names of
// torchvision.models.regnet_y_800mf / regnet_y_1_6gf (torchvision 0.14, regnet.py: RegNet,
// ResBottleneckBlock, BottleneckTransform, AnyStage), so torchvision weights load unchanged:
//   stem                      Conv2dNormActivation 3×3/2 → 32, ReLU
//   trunk_output.blockS.blockS-I.{proj, f.a, f.b, f.se (fc1/fc2), f.c}
//   fc                        Linear (chorus adds a parameter-free dropout before it)
// BatchNorm eps 1e-5, ReLU everywhere (squeeze-excitation included).
//
// Input [N, in_channels, H, W]; features [N, last stage width (800MF 784, 1.6GF 888), H/32,
// W/32]; logits [N, num_classes].

#include <torch/nn/module.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include <array>
#include <string_view>

#include "models/backbone.hpp"
#include "models/layers.hpp"
#include "models/lowering.hpp"

namespace chorus::models {

// A RegNetY design point: torchvision's BlockParams.from_init_params(...)._get_expanded_params()
// computed once in Python and written out (the quantisation of the widths is not worth
// re-deriving in C++; the oracle test checks the result against torchvision).
struct RegNetStage {
  int width, stride, depth;
};
struct RegNetVariant {
  std::string_view name;
  std::array<RegNetStage, 4> stages;
  int group_width;  // channels per group of the 3×3 convolutions
  double se_ratio;  // squeeze width relative to a block's input width
};
// depth 14, w_0 56, w_a 38.84, w_m 2.4, group width 16, SE 0.25.
inline constexpr RegNetVariant kRegNetY800MF{
    "regnet_y_800mf", {{{64, 2, 1}, {144, 2, 3}, {320, 2, 8}, {784, 2, 2}}}, 16, 0.25};
// depth 27, w_0 48, w_a 20.71, w_m 2.65, group width 24, SE 0.25.
inline constexpr RegNetVariant kRegNetY1_6GF{
    "regnet_y_1_6gf", {{{48, 2, 2}, {120, 2, 6}, {336, 2, 17}, {888, 2, 2}}}, 24, 0.25};

// torchvision.models.regnet.ResBottleneckBlock with its BottleneckTransform `f`: 1×1 → grouped
// 3×3 (stride) → squeeze-excitation → 1×1, plus a projected shortcut when the shape changes.
struct RegNetBlockOptions {
  int in_channels = 0;
  int out_channels = 0;
  int stride = 1;
  int group_width = 16;
  double se_ratio = 0.25;         // squeeze width relative to the block's input width
  double stochastic_depth = 0.0;  // the branch's drop probability in training, per sample
};

class ResBottleneckBlockImpl : public torch::nn::Module, public LowerableModule {
 public:
  explicit ResBottleneckBlockImpl(const RegNetBlockOptions& options);
  torch::Tensor forward(const torch::Tensor& x);
  GraphValue lower(GraphBuilder& graph, GraphValue x) const override;

 private:
  Layers proj_{nullptr};  // null for an identity shortcut
  Layers f_{nullptr};
  double stochastic_depth_ = 0.0;
};
TORCH_MODULE(ResBottleneckBlock);

class RegNetImpl : public Backbone {
 public:
  RegNetImpl(const RegNetVariant& variant, const BackboneOptions& options);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  GraphValue lower_features(GraphBuilder& graph, GraphValue x) const override;
  torch::Tensor classify(const torch::Tensor& features) override;
  int num_features() const override { return num_features_; }
  const torch::nn::LinearImpl& classifier() const override { return *fc_; }

 private:
  int num_features_ = 0;
  Layers stem_{nullptr};
  Layers trunk_output_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Linear fc_{nullptr};
};
TORCH_MODULE(RegNet);

}  // namespace chorus::models
