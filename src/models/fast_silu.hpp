#pragma once
// SiLU (x·σ(x)) for inference, vectorised. LibTorch 1.13 as Debian builds it evaluates SiLU's
// exponential one element at a time (0.7 ns per element on this machine, against 0.2 ns for a
// memory-bound ReLU), which made SiLU a quarter of EfficientNet-B0's forward time
// (BENCHMARKS.md, "Models"). This one goes through glibc's vector expf (libmvec, picked for
// AVX-512/AVX2 at run time). Under autograd, or for tensors it does not handle (not float32, not
// dense), it calls torch::silu; equal to it within 1e-6 relative.

#include <torch/nn/cloneable.h>

#include <cstdint>

namespace chorus::models {

// y[i] = x[i] / (1 + exp(−x[i])) for n floats; x and y may be the same.
void silu(const float* x, float* y, std::int64_t n);

class FastSiLUImpl : public torch::nn::Cloneable<FastSiLUImpl> {
 public:
  void reset() override {}
  torch::Tensor forward(const torch::Tensor& x);
};
TORCH_MODULE(FastSiLU);

}  // namespace chorus::models
