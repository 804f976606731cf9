// FastSiLU against torch::silu (the reference it replaces) and, under autograd, against SiLU's
// gradient in double.

#include "models/fast_silu.hpp"

#include <gtest/gtest.h>
#include <torch/types.h>

#include "graph/silu.hpp"

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

// dy · σ(x) · (1 + x · (1 − σ(x))) in double, from the values x and dy hold.
torch::Tensor exact_gradient(const torch::Tensor& x, const torch::Tensor& dy) {
  const torch::Tensor x64 = x.to(torch::kFloat64), s = torch::sigmoid(x64);
  return dy.to(torch::kFloat64) * s * (1 + x64 * (1 - s));
}

TEST(FastSiLU, GradientsInFloat32AndBf16) {
  if (!graph::has_silu_kernel()) GTEST_SKIP() << "no AVX-512 (or oneDNN's ISA is capped below it)";
  torch::manual_seed(1);
  models::FastSiLU silu;
  for (const auto type : {torch::kFloat32, torch::kBFloat16}) {
    // Channels-last activations (as training runs them), extremes included; the incoming
    // gradient in the other layout, which the backward pass must pair up element by element.
    torch::Tensor x = torch::randn({2, 8, 9, 11}) * 6;
    x.view(-1).slice(0, 0, 6).copy_(torch::tensor({0.0f, -0.0f, 100.0f, -100.0f, 88.0f, -88.0f}));
    x = x.to(type).contiguous(torch::MemoryFormat::ChannelsLast).requires_grad_();
    const torch::Tensor dy = torch::randn({2, 8, 9, 11}).to(type);
    const torch::Tensor y = silu(x);
    EXPECT_EQ(y.scalar_type(), type);
    EXPECT_TRUE(y.is_contiguous(torch::MemoryFormat::ChannelsLast));
    y.backward(dy);
    const torch::Tensor want = exact_gradient(x.detach(), dy);
    const torch::Tensor got = x.grad().to(torch::kFloat64);
    // float32: the kernel's σ within a few units in the last place; bf16: the float32 value
    // (within 7e-5 relative) rounded to 8 significant bits, so within 2^-8 relative. Where the
    // gradient nearly cancels (1 + x(1 − σ) near 0, x ≈ −1.28) the error is relative to dy · σ.
    const double tolerance = type == torch::kFloat32 ? 1e-6 : 1.0 / 256 + 7e-5;
    const torch::Tensor scale =
        torch::maximum(
            want.abs(),
            (dy.to(torch::kFloat64) * torch::sigmoid(x.detach().to(torch::kFloat64))).abs())
            .clamp_min(1e-30);
    EXPECT_LE(((got - want).abs() / scale).max().item<double>(), tolerance) << type;
  }
}

TEST(FastSiLU, FallsBackToTorchForOtherTypes) {
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
