#include "models/conv_norm_activation.hpp"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/conv.h>

#include "core/error.hpp"
#include "models/foldable_batch_norm.hpp"

namespace chorus::models {

torch::nn::Conv2d plain_conv(int in_channels, int out_channels, int kernel_size, int stride,
                             int groups) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in_channels, out_channels, kernel_size)
                               .stride(stride)
                               .padding((kernel_size - 1) / 2)
                               .groups(groups)
                               .bias(false));
}

torch::nn::AnyModule activation_module(Activation activation) {
  switch (activation) {
    case Activation::relu:
      return torch::nn::AnyModule(torch::nn::ReLU(torch::nn::ReLUOptions(true)));
    case Activation::silu:
      return torch::nn::AnyModule(torch::nn::SiLU());
    case Activation::none:
      break;
  }
  CHORUS_DCHECK(false);
  return {};
}

Layers conv_norm_activation(const ConvNormOptions& o) {
  Layers layers(plain_conv(o.in_channels, o.out_channels, o.kernel_size, o.stride, o.groups),
                FoldableBatchNorm2d(torch::nn::BatchNorm2dOptions(o.out_channels).eps(o.eps)));
  if (o.activation != Activation::none) layers->push_back(activation_module(o.activation));
  return layers;
}

}  // namespace chorus::models
