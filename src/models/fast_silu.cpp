#include "models/fast_silu.hpp"

#include <ATen/Parallel.h>
#include <torch/types.h>

#include "graph/silu.hpp"

namespace chorus::models {

torch::Tensor FastSiLUImpl::forward(const torch::Tensor& x) {
  const bool dense = x.is_contiguous() || x.is_contiguous(torch::MemoryFormat::ChannelsLast);
  if (x.scalar_type() != torch::kFloat32 || !dense || x.requires_grad() || !x.device().is_cpu())
    return torch::silu(x);
  // Same sizes and strides (channels-last stays channels-last), so element i maps to element i.
  torch::Tensor y = torch::empty_like(x);
  const float* in = x.data_ptr<float>();
  float* out = y.data_ptr<float>();
  at::parallel_for(0, x.numel(), 1 << 15, [&](std::int64_t begin, std::int64_t end) {
    graph::silu(in + begin, out + begin, static_cast<std::size_t>(end - begin));
  });
  return y;
}

}  // namespace chorus::models
