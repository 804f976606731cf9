// FastSiLU against torch::silu (the reference it replaces).

#include "models/fast_silu.hpp"

#include <gtest/gtest.h>
#include <torch/types.h>

namespace chorus {
namespace {

TEST(FastSiLU, EqualsTorchSiluIncludingExtremesAndChannelsLast) {
  torch::manual_seed(0);
  torch::Tensor x = torch::randn({3, 5, 17, 19}) * 6;
  x.view(-1).slice(0, 0, 6).copy_(torch::tensor({0.0f, -0.0f, 100.0f, -100.0f, 88.0f, -88.0f}));
  x = x.contiguous(torch::MemoryFormat::ChannelsLast);
  models::FastSiLU silu;
  torch::InferenceMode guard;
  const torch::Tensor y = silu(x);
  const torch::Tensor expected = torch::silu(x);
  EXPECT_TRUE(y.is_contiguous(torch::MemoryFormat::ChannelsLast));
  EXPECT_LE(((y - expected).abs() / expected.abs().clamp_min(1e-3)).max().item<double>(), 1e-6);
}

TEST(FastSiLU, FallsBackToTorchForGradientsAndOtherTypes) {
  models::FastSiLU silu;
  const torch::Tensor x = torch::randn({4, 6}, torch::requires_grad());
  silu(x).sum().backward();
  EXPECT_TRUE(torch::allclose(x.grad(), torch::sigmoid(x) * (1 + x * (1 - torch::sigmoid(x)))));
  const torch::Tensor d = torch::randn({4, 6}, torch::kFloat64);
  torch::NoGradGuard no_grad;
  EXPECT_TRUE(torch::allclose(silu(d), torch::silu(d)));
  const torch::Tensor strided = torch::randn({8, 6}).t();  // not dense in any memory format
  EXPECT_TRUE(torch::allclose(silu(strided), torch::silu(strided)));
}

}  // namespace
}  // namespace chorus
