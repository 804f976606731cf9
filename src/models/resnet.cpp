#include "models/resnet.hpp"

#include <torch/nn/functional/pooling.h>
#include <torch/types.h>

#include <string>

#include "models/conv_norm_activation.hpp"
#include "models/stochastic_depth.hpp"

namespace chorus::models {
namespace {

// torchvision's ResNet keeps BatchNorm's default epsilon.
FoldableBatchNorm2d batch_norm(int channels) {
  return FoldableBatchNorm2d(torch::nn::BatchNorm2dOptions(channels).eps(1e-5));
}

}  // namespace

BasicBlockImpl::BasicBlockImpl(int in_channels, int channels, int stride, double stochastic_depth)
    : conv1_(register_module("conv1", plain_conv(in_channels, channels, 3, stride))),
      bn1_(register_module("bn1", batch_norm(channels))),
      conv2_(register_module("conv2", plain_conv(channels, channels, 3))),
      bn2_(register_module("bn2", batch_norm(channels))),
      stochastic_depth_(stochastic_depth) {
  if (stride != 1 || in_channels != channels)
    downsample_ = register_module(
        "downsample",
        torch::nn::Sequential(plain_conv(in_channels, channels, 1, stride), batch_norm(channels)));
}

torch::Tensor BasicBlockImpl::forward(const torch::Tensor& x) {
  torch::Tensor out = bn1_(conv1_(x)).relu_();
  out = bn2_(conv2_(out));
  if (is_training() && stochastic_depth_ > 0.0) out = stochastic_depth(out, stochastic_depth_);
  out += downsample_ ? downsample_->forward(x) : x;
  return out.relu_();
}

GraphValue BasicBlockImpl::lower(GraphBuilder& graph, GraphValue x) const {
  // The shortcut first: the main branch's last convolution sums into it.
  const GraphValue shortcut = downsample_ ? lower_sequence(graph, *downsample_, x) : x;
  const GraphValue out = lower_conv(graph, *conv1_, *bn1_, x, PostOp::relu);
  return lower_conv(graph, *conv2_, *bn2_, out, PostOp::relu, shortcut);
}

ResNetImpl::ResNetImpl(std::array<int, 4> blocks_per_stage, const BackboneOptions& options)
    : conv1_(register_module("conv1",
                             torch::nn::Conv2d(torch::nn::Conv2dOptions(options.in_channels, 64, 7)
                                                   .stride(2)
                                                   .padding(3)
                                                   .bias(false)))),
      bn1_(register_module("bn1", batch_norm(64))),
      dropout_(register_module("dropout", torch::nn::Dropout(options.dropout))),
      fc_(register_module("fc", torch::nn::Linear(512, options.num_classes))) {
  int in_channels = 64;
  int block_index = 0;
  const int total_blocks =
      blocks_per_stage[0] + blocks_per_stage[1] + blocks_per_stage[2] + blocks_per_stage[3];
  for (int stage = 0; stage < 4; ++stage) {
    const int channels = 64 << stage;
    torch::nn::Sequential blocks;
    for (int i = 0; i < blocks_per_stage[stage]; ++i, ++block_index)
      blocks->push_back(
          BasicBlock(i == 0 ? in_channels : channels, channels, i == 0 && stage > 0 ? 2 : 1,
                     block_drop_probability(options.stochastic_depth, block_index, total_blocks)));
    stages_[stage] = register_module("layer" + std::to_string(stage + 1), blocks);
    in_channels = channels;
  }
}

torch::Tensor ResNetImpl::forward_features(const torch::Tensor& x) {
  namespace F = torch::nn::functional;
  torch::Tensor y = bn1_(conv1_(x)).relu_();
  y = F::max_pool2d(y, F::MaxPool2dFuncOptions(3).stride(2).padding(1));
  for (auto& stage : stages_) y = stage->forward(y);
  return y;
}

GraphValue ResNetImpl::lower_features(GraphBuilder& graph, GraphValue x) const {
  GraphValue y = graph.max_pool(lower_conv(graph, *conv1_, *bn1_, x, PostOp::relu), 3, 2, 1);
  for (const auto& stage : stages_) y = lower_sequence(graph, *stage, y);
  return y;
}

torch::Tensor ResNetImpl::classify(const torch::Tensor& features) {
  return fc_(dropout_(features.mean({2, 3})));
}

}  // namespace chorus::models
