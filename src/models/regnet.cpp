#include "models/regnet.hpp"

#include <torch/types.h>

#include <cmath>
#include <string>

#include "models/conv_norm_activation.hpp"
#include "models/squeeze_excitation.hpp"
#include "models/stochastic_depth.hpp"

namespace chorus::models {
namespace {

constexpr int kStemChannels = 32;

}  // namespace

ResBottleneckBlockImpl::ResBottleneckBlockImpl(const RegNetBlockOptions& o)
    : stochastic_depth_(o.stochastic_depth) {
  if (o.in_channels != o.out_channels || o.stride != 1)
    proj_ = register_module("proj", conv_norm_activation({.in_channels = o.in_channels,
                                                          .out_channels = o.out_channels,
                                                          .kernel_size = 1,
                                                          .stride = o.stride,
                                                          .activation = Activation::none}));
  const int bottleneck = o.out_channels;  // bottleneck multiplier 1 for every RegNetY
  Layers f;
  f->add("a", conv_norm_activation(
                  {.in_channels = o.in_channels, .out_channels = bottleneck, .kernel_size = 1}));
  f->add("b", conv_norm_activation({.in_channels = bottleneck,
                                    .out_channels = bottleneck,
                                    .kernel_size = 3,
                                    .stride = o.stride,
                                    .groups = bottleneck / o.group_width}));
  f->add("se",
         SqueezeExcitation(bottleneck, static_cast<int>(std::round(o.se_ratio * o.in_channels)),
                           Activation::relu));
  f->add("c", conv_norm_activation({.in_channels = bottleneck,
                                    .out_channels = o.out_channels,
                                    .kernel_size = 1,
                                    .activation = Activation::none}));
  f_ = register_module("f", f);
}

torch::Tensor ResBottleneckBlockImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = f_->forward(x);
  if (is_training() && stochastic_depth_ > 0.0) y = stochastic_depth(y, stochastic_depth_);
  y += proj_ ? proj_->forward(x) : x;
  return y.relu_();
}

GraphValue ResBottleneckBlockImpl::lower(GraphBuilder& graph, GraphValue x) const {
  const GraphValue shortcut = proj_ ? lower_sequence(graph, *proj_, x) : x;
  return lower_sequence(graph, *f_, x, shortcut, PostOp::relu);
}

RegNetImpl::RegNetImpl(const RegNetVariant& variant, const BackboneOptions& o)
    : num_features_(variant.stages.back().width),
      stem_(register_module("stem", conv_norm_activation({.in_channels = o.in_channels,
                                                          .out_channels = kStemChannels,
                                                          .kernel_size = 3,
                                                          .stride = 2}))),
      dropout_(register_module("dropout", torch::nn::Dropout(o.dropout))),
      fc_(register_module("fc", torch::nn::Linear(num_features_, o.num_classes))) {
  Layers trunk;
  int width = kStemChannels;
  int block_index = 0, total_blocks = 0;
  for (const RegNetStage& stage : variant.stages) total_blocks += stage.depth;
  for (std::size_t s = 0; s < variant.stages.size(); ++s) {
    const RegNetStage& stage = variant.stages[s];
    const std::string stage_name = "block" + std::to_string(s + 1);
    Layers blocks;  // torchvision's AnyStage names its blocks "block{stage}-{index}"
    for (int i = 0; i < stage.depth; ++i, ++block_index) {
      blocks->add(stage_name + "-" + std::to_string(i),
                  ResBottleneckBlock(RegNetBlockOptions{
                      .in_channels = i == 0 ? width : stage.width,
                      .out_channels = stage.width,
                      .stride = i == 0 ? stage.stride : 1,
                      .group_width = variant.group_width,
                      .se_ratio = variant.se_ratio,
                      .stochastic_depth =
                          block_drop_probability(o.stochastic_depth, block_index, total_blocks)}));
    }
    trunk->add(stage_name, blocks);
    width = stage.width;
  }
  trunk_output_ = register_module("trunk_output", trunk);
}

torch::Tensor RegNetImpl::forward_features(const torch::Tensor& x) {
  return trunk_output_->forward(stem_->forward(x));
}

GraphValue RegNetImpl::lower_features(GraphBuilder& graph, GraphValue x) const {
  return lower_sequence(graph, *trunk_output_, lower_sequence(graph, *stem_, x));
}

torch::Tensor RegNetImpl::classify(const torch::Tensor& features) {
  return fc_(dropout_(features.mean({2, 3})));
}

}  // namespace chorus::models
