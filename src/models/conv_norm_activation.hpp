#pragma once
// Convolution → BatchNorm → optional activation as one Sequential, named "0", "1", "2" exactly as
// torchvision.ops.misc.Conv2dNormActivation names them (EfficientNet, RegNet), so state-dict keys
// match torchvision's: padding (k-1)/2, no convolution bias (the norm has one).

#include <torch/nn/modules/container/any.h>
#include <torch/nn/modules/conv.h>

#include "models/layers.hpp"

namespace chorus::models {

enum class Activation { none, relu, silu };

struct ConvNormOptions {
  int in_channels = 0;
  int out_channels = 0;
  int kernel_size = 3;
  int stride = 1;
  int groups = 1;
  double eps = 1e-5;  // BatchNorm epsilon (torchvision's default)
  Activation activation = Activation::relu;
};

Layers conv_norm_activation(const ConvNormOptions& options);

// A bias-free convolution with "same" padding for odd kernels; torchvision's conv3x3/conv1x1.
torch::nn::Conv2d plain_conv(int in_channels, int out_channels, int kernel_size, int stride = 1,
                             int groups = 1);

// The activation as a module, for Sequentials.
torch::nn::AnyModule activation_module(Activation activation);

}  // namespace chorus::models
