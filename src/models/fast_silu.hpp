#pragma once
// SiLU (x·σ(x)) for LibTorch, vectorised: the networks' activation in training and inference.
// LibTorch 1.13 as Debian builds it evaluates SiLU's exponential one element at a time in
// inference (0.7 ns per element on this machine, against 0.2 ns for a memory-bound ReLU), which
// made SiLU a quarter of EfficientNet-B0's forward time (BENCHMARKS.md, "Models"), and converts
// bf16 one element at a time forward and backward, which made bf16 training slower than fp32.
// This one runs the compiled graphs' kernels (graph/silu.hpp: AVX-512, or AVX2 for float32
// inference), under autograd too (its own backward). float32 equals torch::silu within 1e-6
// relative, bf16 is its value rounded to bf16. Tensors it does not handle (other types, not dense,
// bf16 or gradients without AVX-512, float32 without AVX2 and FMA) go to torch::silu (an AVX2
// gradient kernel measured no faster than LibTorch's in float32 training).

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
