#include "models/efficientnet.hpp"

#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/types.h>

#include <array>

#include "models/conv_norm_activation.hpp"
#include "models/squeeze_excitation.hpp"

namespace chorus::models {
namespace {

// One row of torchvision's _efficientnet_conf("efficientnet_b0") (width and depth multipliers 1,
// so no rounding applies): expand ratio, kernel, first stride, input and output channels, blocks.
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
constexpr int kStemChannels = 32;
constexpr int kHeadChannels = 1280;

// torchvision.ops.StochasticDepth(mode="row"): drop the branch for whole samples, rescale the rest.
torch::Tensor stochastic_depth(const torch::Tensor& x, double p) {
  const double survival = 1.0 - p;
  torch::Tensor keep = torch::empty({x.size(0), 1, 1, 1}, x.options()).bernoulli_(survival);
  if (survival > 0.0) keep.div_(survival);
  return x * keep;
}

}  // namespace

MBConvImpl::MBConvImpl(const MBConvOptions& o)
    : residual_(o.stride == 1 && o.in_channels == o.out_channels),
      stochastic_depth_(o.stochastic_depth) {
  const int expanded = o.in_channels * o.expand_ratio;
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

EfficientNetB0Impl::EfficientNetB0Impl(const BackboneOptions& o, double stochastic_depth) {
  Layers features;
  features->push_back(conv_norm_activation({.in_channels = o.in_channels,
                                            .out_channels = kStemChannels,
                                            .kernel_size = 3,
                                            .stride = 2,
                                            .activation = Activation::silu}));
  int total_blocks = 0;
  for (const StageSetting& s : kB0Stages) total_blocks += s.blocks;
  int block_index = 0;
  for (const StageSetting& s : kB0Stages) {
    Layers stage;
    for (int i = 0; i < s.blocks; ++i, ++block_index)
      stage->push_back(
          MBConv(MBConvOptions{.expand_ratio = s.expand_ratio,
                               .kernel_size = s.kernel_size,
                               .stride = i == 0 ? s.stride : 1,
                               .in_channels = i == 0 ? s.in_channels : s.out_channels,
                               .out_channels = s.out_channels,
                               .stochastic_depth = stochastic_depth * block_index / total_blocks}));
    features->push_back(stage);
  }
  features->push_back(conv_norm_activation({.in_channels = kB0Stages.back().out_channels,
                                            .out_channels = kHeadChannels,
                                            .kernel_size = 1,
                                            .activation = Activation::silu}));
  features_ = register_module("features", features);
  classifier_ = register_module(
      "classifier",
      Layers(torch::nn::Dropout(o.dropout), torch::nn::Linear(kHeadChannels, o.num_classes)));
}

torch::Tensor EfficientNetB0Impl::forward_features(const torch::Tensor& x) {
  return features_->forward(x);
}

torch::Tensor EfficientNetB0Impl::forward(const torch::Tensor& x) {
  return classifier_->forward(forward_features(x).mean({2, 3}));
}

}  // namespace chorus::models
