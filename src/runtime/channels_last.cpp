#include "runtime/channels_last.hpp"

#include <torch/types.h>

#include "core/error.hpp"

namespace chorus::runtime {
namespace {

// A copy of `x` with the channels-last strides spelled out. Tensor::contiguous(ChannelsLast)
// is not enough: it returns a tensor unchanged when it is already channels-last contiguous,
// which every tensor with one channel or a 1 × 1 kernel is in NCHW strides too, and LibTorch
// then reads those strides as NCHW. A 1-channel log-mel input, a stem, every 1 × 1 and
// depthwise weight of EfficientNet would stay NCHW — and with them every activation.
torch::Tensor restrided(const torch::Tensor& x) {
  return torch::empty_like(x, x.options().memory_format(torch::MemoryFormat::ChannelsLast))
      .copy_(x);
}

}  // namespace

void convert_to_channels_last(torch::nn::Module& model) {
  torch::NoGradGuard no_grad;
  for (torch::Tensor& p : model.parameters())
    if (p.dim() == 4) p.set_data(restrided(p));
}

torch::Tensor channels_last(const torch::Tensor& x) {
  CHORUS_CHECK_AS(ModelError, x.dim() == 4, "model input must be [N, C, H, W]; got {} dimensions",
                  x.dim());
  return restrided(x);
}

}  // namespace chorus::runtime
