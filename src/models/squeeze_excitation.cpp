#include "models/squeeze_excitation.hpp"

#include <torch/types.h>

namespace chorus::models {

SqueezeExcitationImpl::SqueezeExcitationImpl(int channels, int squeeze_channels,
                                             Activation activation)
    : fc1_(register_module(
          "fc1", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, squeeze_channels, 1)))),
      fc2_(register_module(
          "fc2", torch::nn::Conv2d(torch::nn::Conv2dOptions(squeeze_channels, channels, 1)))),
      activation_(activation_module(activation)),
      activation_kind_(activation) {}

torch::Tensor SqueezeExcitationImpl::forward(const torch::Tensor& x) {
  torch::Tensor scale = x.mean({2, 3}, /*keepdim=*/true);
  scale = fc2_(activation_.forward(fc1_(scale))).sigmoid();
  return x * scale;
}

GraphValue SqueezeExcitationImpl::lower(GraphBuilder& graph, GraphValue x) const {
  const PostOp squeeze = activation_kind_ == Activation::silu   ? PostOp::silu
                         : activation_kind_ == Activation::relu ? PostOp::relu
                                                                : PostOp::none;
  const GraphValue hidden =
      graph.conv(graph.global_average(x), describe_convolution(*fc1_), squeeze);
  return graph.scale_channels(x, graph.conv(hidden, describe_convolution(*fc2_), PostOp::sigmoid));
}

}  // namespace chorus::models
