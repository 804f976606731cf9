#pragma once
// Channels-last (NHWC) layout for a network's 4-D weights. oneDNN, which LibTorch calls for every
// CPU convolution, works in NHWC or blocked layouts: given NCHW tensors it reorders each
// convolution's input, output and, in training, gradients to its layout and back. In NHWC it
// convolves them as they are. Measured: EfficientNet-B0's training steps 1.5× faster
// (BENCHMARKS.md, "Training"); the arithmetic is the same, only the summation order of the
// kernels may differ (float rounding).

#include <torch/nn/module.h>

namespace chorus::runtime {

// Every parameter of 4 dimensions (convolution weights) becomes channels-last in place; their
// gradients, and optimiser states made from them, follow.
void convert_to_channels_last(torch::nn::Module& model);

// `x` [N, C, H, W] channels-last (a copy when it is not).
torch::Tensor channels_last(const torch::Tensor& x);

}  // namespace chorus::runtime
