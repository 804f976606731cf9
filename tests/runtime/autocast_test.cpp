// CpuAutocast does what torch.autocast("cpu", dtype=torch.bfloat16) does: inside, a convolution
// of float32 tensors computes in bf16 (the convolution of the bf16-rounded input and weights, to
// bf16's resolution) and the float32 weights get float32 gradients; outside, and in a scope that
// is not enabled, float32; a nested scope leaves the outer one on. The networks' depthwise
// convolutions stay float32 inside.

#include "runtime/autocast.hpp"

#include <ATen/autocast_mode.h>
#include <gtest/gtest.h>
#include <torch/nn/modules/conv.h>
#include <torch/types.h>

#include <string>

#include "core/error.hpp"
#include "graph/precision.hpp"
#include "models/conv_norm_activation.hpp"

namespace chorus {
namespace {

// Why this CPU has no bf16 kernels (train.precision = bf16 is refused), or "".
std::string without_bf16() {
  try {
    static_cast<void>(graph::resolve_precision(graph::Precision::bf16, "train.precision"));
  } catch (const ConfigError& e) {
    return std::string("no bf16 kernels on this CPU: ") + e.what();
  }
  return "";
}

TEST(CpuAutocast, ConvolutionsInBf16InsideFloat32Outside) {
  if (const std::string why = without_bf16(); !why.empty()) GTEST_SKIP() << why;
  torch::manual_seed(7);
  torch::nn::Conv2d conv(torch::nn::Conv2dOptions(4, 5, 3).padding(1));
  const torch::Tensor x = torch::randn({2, 4, 9, 11});
  {
    const runtime::CpuAutocast autocast(true);
    EXPECT_TRUE(at::autocast::is_cpu_enabled());
    const torch::Tensor y = conv(x);
    EXPECT_EQ(y.scalar_type(), torch::kBFloat16);
    { const runtime::CpuAutocast inner(true); }
    EXPECT_TRUE(at::autocast::is_cpu_enabled()) << "a nested scope turned autocast off";
    const torch::Tensor rounded =
        torch::conv2d(x.to(torch::kBFloat16).to(torch::kFloat32),
                      conv->weight.detach().to(torch::kBFloat16).to(torch::kFloat32),
                      conv->bias.detach().to(torch::kBFloat16).to(torch::kFloat32), 1, 1);
    // Products of bf16 values are exact in float32 and summed in float32 (36 terms of order 1:
    // ~1e-6 apart in another order); the output is then rounded to bf16's 8 significant bits,
    // by at most half an ulp: 2^-8 of its magnitude.
    const torch::Tensor error = (y.to(torch::kFloat32) - rounded).abs();
    EXPECT_TRUE((error <= rounded.abs() * std::ldexp(1.0, -8) + 1e-5).all().item<bool>())
        << error.max().item<float>();
    y.to(torch::kFloat32).sum().backward();
  }
  EXPECT_FALSE(at::autocast::is_cpu_enabled());
  ASSERT_TRUE(conv->weight.grad().defined());
  EXPECT_EQ(conv->weight.grad().scalar_type(), torch::kFloat32);
  EXPECT_EQ(conv->weight.scalar_type(), torch::kFloat32);
  EXPECT_EQ(conv(x).scalar_type(), torch::kFloat32);
  const runtime::CpuAutocast off(false);
  EXPECT_FALSE(at::autocast::is_cpu_enabled());
  EXPECT_EQ(conv(x).scalar_type(), torch::kFloat32);
}

TEST(CpuAutocast, DepthwiseConvolutionsOfTheNetworksStayFloat32) {
  // models::conv_norm_activation's depthwise convolutions (EfficientNet's) run in float32 under
  // autocast, since their bf16 kernels are slower; a dense convolution of a block runs in bf16.
  if (const std::string why = without_bf16(); !why.empty()) GTEST_SKIP() << why;
  torch::manual_seed(8);
  models::Layers depthwise = models::conv_norm_activation(
      {.in_channels = 6, .out_channels = 6, .kernel_size = 3, .groups = 6});
  models::Layers dense =
      models::conv_norm_activation({.in_channels = 6, .out_channels = 6, .kernel_size = 1});
  const torch::Tensor x = torch::randn({2, 6, 9, 11});
  // The block's first module as its Sequential runs it.
  const auto convolve = [&](models::Layers& block, const torch::Tensor& input) {
    return block->begin()->forward(input);
  };
  const torch::Tensor plain = convolve(depthwise, x);
  const runtime::CpuAutocast autocast(true);
  const torch::Tensor y = convolve(depthwise, x.to(torch::kBFloat16));
  EXPECT_EQ(y.scalar_type(), torch::kFloat32);
  // Its input was bf16: the float32 convolution of the bf16-rounded values.
  EXPECT_TRUE(torch::allclose(y, convolve(depthwise, x.to(torch::kBFloat16).to(torch::kFloat32)),
                              1e-6, 1e-6));
  EXPECT_EQ(plain.scalar_type(), torch::kFloat32);
  EXPECT_EQ(convolve(dense, x).scalar_type(), torch::kBFloat16);
  EXPECT_EQ(depthwise->forward(x).scalar_type(), torch::kFloat32);  // the whole block
}

}  // namespace
}  // namespace chorus
