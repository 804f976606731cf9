#pragma once
// Non-trivial BatchNorm statistics for tests of inference transformations: with the identity
// initialisation (mean 0, variance 1, γ 1, β 0) a wrong fold would go unnoticed.

#include <torch/nn/modules/batchnorm.h>
#include <torch/types.h>

namespace chorus::testing {

// Random affine parameters and running statistics for every BatchNorm2d in `model`.
inline void randomise_batch_norms(torch::nn::Module& model) {
  torch::NoGradGuard no_grad;
  for (const auto& m : model.modules())
    if (auto* bn = dynamic_cast<torch::nn::BatchNorm2dImpl*>(m.get())) {
      bn->weight.uniform_(0.5, 1.5);
      bn->bias.uniform_(-0.2, 0.2);
      bn->running_mean.uniform_(-0.5, 0.5);
      bn->running_var.uniform_(0.5, 2.0);
    }
}

// max |a − b| relative to max(1, max |b|).
inline double relative_difference(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>() / std::max(1.0, b.abs().max().item<double>());
}

}  // namespace chorus::testing
