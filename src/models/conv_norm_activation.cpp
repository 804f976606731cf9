#include "models/conv_norm_activation.hpp"

#include <ATen/autocast_mode.h>
#include <c10/core/impl/LocalDispatchKeySet.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/conv.h>

#include "core/error.hpp"
#include "models/foldable_batch_norm.hpp"

namespace chorus::models {

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

namespace {

// A depthwise convolution (one filter per channel) that runs in float32 under bf16 autocast, as
// a Conv2d would outside it. oneDNN's bf16 kernels gain nothing on depthwise convolutions, whose
// few multiplications per value leave them bound by memory, and their backward pass in bf16 cost
// more than float32's: with them in float32 EfficientNet-B0's bf16 training epoch runs 1.10–1.12×
// faster (BENCHMARKS.md, "Training in bf16"). The casts around it are autocast's anyway. A Conv2d
// to everything else (state-dict names, lowering, BatchNorm folding), and outside autocast its
// forward is Conv2d's.
class DepthwiseConv2dImpl : public torch::nn::Conv2dImpl {
 public:
  using Conv2dImpl::Conv2dImpl;
  torch::Tensor forward(const torch::Tensor& x) {
    if (!at::autocast::is_cpu_enabled()) return Conv2dImpl::forward(x);
    const c10::impl::ExcludeDispatchKeyGuard no_autocast(c10::DispatchKey::AutocastCPU);
    return Conv2dImpl::forward(x.to(torch::kFloat32));
  }
};
TORCH_MODULE(DepthwiseConv2d);

torch::nn::Conv2dOptions conv_options(int in_channels, int out_channels, int kernel_size,
                                      int stride, int groups) {
  return torch::nn::Conv2dOptions(in_channels, out_channels, kernel_size)
      .stride(stride)
      .padding((kernel_size - 1) / 2)
      .groups(groups)
      .bias(false);
}

}  // namespace

torch::nn::Conv2d plain_conv(int in_channels, int out_channels, int kernel_size, int stride,
                             int groups) {
  return torch::nn::Conv2d(conv_options(in_channels, out_channels, kernel_size, stride, groups));
}

Layers conv_norm_activation(const ConvNormOptions& o) {
  Layers layers;
  const torch::nn::Conv2dOptions conv =
      conv_options(o.in_channels, o.out_channels, o.kernel_size, o.stride, o.groups);
  if (o.groups > 1 && o.groups == o.in_channels)
    layers->push_back(DepthwiseConv2d(conv));
  else
    layers->push_back(torch::nn::Conv2d(conv));
  layers->push_back(FoldableBatchNorm2d(torch::nn::BatchNorm2dOptions(o.out_channels).eps(o.eps)));
  if (o.activation != Activation::none) layers->push_back(activation_module(o.activation));
  return layers;
}

}  // namespace chorus::models
