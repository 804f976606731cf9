#pragma once
// SiLU (x·σ(x)) for LibTorch's inference, vectorised. LibTorch 1.13 as Debian builds it
// evaluates SiLU's exponential one element at a time (0.7 ns per element on this machine, against
// 0.2 ns for a memory-bound ReLU), which made SiLU a quarter of EfficientNet-B0's forward time
// (BENCHMARKS.md, "Models"). This one runs the compiled graphs' kernel (graph/silu.hpp: AVX-512,
// else glibc's vector expf). Under autograd, or for tensors it does not handle (not float32, not
// dense), it calls torch::silu; equal to it within 1e-6 relative.

#include <torch/nn/cloneable.h>

#include <cstdint>

namespace chorus::models {

class FastSiLUImpl : public torch::nn::Cloneable<FastSiLUImpl> {
 public:
  void reset() override {}
  torch::Tensor forward(const torch::Tensor& x);
};
TORCH_MODULE(FastSiLU);

}  // namespace chorus::models
