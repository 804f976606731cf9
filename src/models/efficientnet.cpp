#include "models/efficientnet.hpp"

#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/types.h>

#include <array>
#include <cmath>

#include "models/conv_norm_activation.hpp"
#include "models/squeeze_excitation.hpp"
#include "models/stochastic_depth.hpp"

namespace chorus::models {
namespace {

// torchvision's _efficientnet_conf for efficientnet_b*: B0's stages before scaling — expand
// ratio, kernel, first stride, input and output channels, blocks.
struct StageSetting {
  int expand_ratio, kernel_size, stride, in_channels, out_channels, blocks;
};
constexpr std::array<StageSetting, 7> kB0Stages{{{1, 3, 1, 32, 16, 1},
                                                 {6, 3, 2, 16, 24, 2},
                                                 {6, 5, 2, 24, 40, 2},
                                                 {6, 3, 2, 40, 80, 3},
                                                 {6, 5, 1, 80, 112, 3},
                                                 {6, 5, 2, 112, 192, 4},
                                                 {6, 3, 1, 192, 320, 1}}};
constexpr int kChannelDivisor = 8;
constexpr int kHeadExpansion = 4;  // the last 1×1 convolution's width / the last stage's

// MBConvConfig's adjust_channels and adjust_depth.
StageSetting scaled(const StageSetting& s, const EfficientNetVariant& v) {
  StageSetting out = s;
  out.in_channels = make_divisible(s.in_channels * v.width_mult, kChannelDivisor);
  out.out_channels = make_divisible(s.out_channels * v.width_mult, kChannelDivisor);
  out.blocks = static_cast<int>(std::ceil(s.blocks * v.depth_mult));
  return out;
}

}  // namespace

int make_divisible(double value, int divisor) {
  int rounded = std::max(divisor, static_cast<int>(value + divisor / 2.0) / divisor * divisor);
  if (rounded < 0.9 * value) rounded += divisor;
  return rounded;
}

MBConvImpl::MBConvImpl(const MBConvOptions& o)
    : residual_(o.stride == 1 && o.in_channels == o.out_channels),
      stochastic_depth_(o.stochastic_depth) {
  const int expanded = make_divisible(o.in_channels * o.expand_ratio, kChannelDivisor);
  Layers block;
  if (expanded != o.in_channels)
    block->push_back(conv_norm_activation({.in_channels = o.in_channels,
                                           .out_channels = expanded,
                                           .kernel_size = 1,
                                           .activation = Activation::silu}));
  block->push_back(conv_norm_activation({.in_channels = expanded,
                                         .out_channels = expanded,
                                         .kernel_size = o.kernel_size,
                                         .stride = o.stride,
                                         .groups = expanded,
                                         .activation = Activation::silu}));
  block->push_back(SqueezeExcitation(expanded, std::max(1, o.in_channels / 4), Activation::silu));
  block->push_back(conv_norm_activation({.in_channels = expanded,
                                         .out_channels = o.out_channels,
                                         .kernel_size = 1,
                                         .activation = Activation::none}));
  block_ = register_module("block", block);
}

torch::Tensor MBConvImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = block_->forward(x);
  if (!residual_) return y;
  if (is_training() && stochastic_depth_ > 0.0) y = stochastic_depth(y, stochastic_depth_);
  return y + x;
}

GraphValue MBConvImpl::lower(GraphBuilder& graph, GraphValue x) const {
  return lower_sequence(graph, *block_, x, residual_ ? std::optional(x) : std::nullopt);
}

EfficientNetImpl::EfficientNetImpl(const EfficientNetVariant& variant, const BackboneOptions& o) {
  std::array<StageSetting, kB0Stages.size()> stages{};
  for (std::size_t i = 0; i < stages.size(); ++i) stages[i] = scaled(kB0Stages[i], variant);

  Layers features;
  features->push_back(conv_norm_activation({.in_channels = o.in_channels,
                                            .out_channels = stages.front().in_channels,
                                            .kernel_size = 3,
                                            .stride = 2,
                                            .activation = Activation::silu}));
  int total_blocks = 0;
  for (const StageSetting& s : stages) total_blocks += s.blocks;
  int block_index = 0;
  for (const StageSetting& s : stages) {
    Layers stage;
    for (int i = 0; i < s.blocks; ++i, ++block_index)
      stage->push_back(MBConv(MBConvOptions{.expand_ratio = s.expand_ratio,
                                            .kernel_size = s.kernel_size,
                                            .stride = i == 0 ? s.stride : 1,
                                            .in_channels = i == 0 ? s.in_channels : s.out_channels,
                                            .out_channels = s.out_channels,
                                            .stochastic_depth = block_drop_probability(
                                                o.stochastic_depth, block_index, total_blocks)}));
    features->push_back(stage);
  }
  num_features_ = kHeadExpansion * stages.back().out_channels;
  features->push_back(conv_norm_activation({.in_channels = stages.back().out_channels,
                                            .out_channels = num_features_,
                                            .kernel_size = 1,
                                            .activation = Activation::silu}));
  features_ = register_module("features", features);
  classifier_ = register_module(
      "classifier",
      Layers(torch::nn::Dropout(o.dropout), torch::nn::Linear(num_features_, o.num_classes)));
}

torch::Tensor EfficientNetImpl::forward_features(const torch::Tensor& x) {
  return features_->forward(x);
}

GraphValue EfficientNetImpl::lower_features(GraphBuilder& graph, GraphValue x) const {
  return lower_sequence(graph, *features_, x);
}

const torch::nn::LinearImpl& EfficientNetImpl::classifier() const {
  return *classifier_->ptr(1)->as<torch::nn::LinearImpl>();  // after the dropout
}

torch::Tensor EfficientNetImpl::classify(const torch::Tensor& features) {
  return classifier_->forward(features.mean({2, 3}));
}

}  // namespace chorus::models
