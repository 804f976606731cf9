// count_macs against published figures and hand counts.

#include "models/flop_counter.hpp"

#include <gtest/gtest.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/types.h>

#include "models/model_registry.hpp"

namespace chorus {
namespace {

// torchvision documents resnet18 at 1.81 "GFLOPS" for 3×224×224 (MACs, in its convention);
// forward hooks on torchvision's own model count its convolutions and fc at 1 814 073 344 MACs.
TEST(FlopCounter, Resnet18MatchesThePublishedCount) {
  const auto model =
      models::create_backbone({.arch = "resnet18", .in_channels = 3, .num_classes = 1000});
  model->eval();
  torch::InferenceMode guard;
  const torch::Tensor x = torch::randn({1, 3, 224, 224});
  const models::MacCount count = models::count_macs([&] { model->forward(x); });
  EXPECT_NEAR(count.total / 1.81e9, 1.0, 0.01) << count.total;
  EXPECT_DOUBLE_EQ(count.total, 1814073344.0);
  // The classifier, whichever product LibTorch's Linear dispatches (addmm for a 2-D input).
  EXPECT_DOUBLE_EQ(count.total - count.by_op.at("aten::convolution"), 512.0 * 1000);
  EXPECT_DOUBLE_EQ(count.flops(), 2 * count.total);
}

TEST(FlopCounter, GroupedStridedConvolutionAndBatchedMatmulByHand) {
  torch::nn::Conv2d conv(torch::nn::Conv2dOptions(8, 16, 3).stride(2).padding(1).groups(4));
  const torch::Tensor x = torch::randn({2, 8, 10, 7});
  torch::NoGradGuard no_grad;
  // Output 2 × 16 × 5 × 4 positions, each 8/4 · 3 · 3 MACs.
  EXPECT_DOUBLE_EQ(models::count_macs([&] { conv(x); }).total, 2.0 * 16 * 5 * 4 * 2 * 9);
  const torch::Tensor a = torch::randn({3, 1, 4, 5}), b = torch::randn({2, 5, 6});
  EXPECT_DOUBLE_EQ(models::count_macs([&] { torch::matmul(a, b); }).total, 3.0 * 2 * 4 * 5 * 6);
  // Outside count_macs nothing is counted, and a second count starts from zero.
  conv(x);
  EXPECT_DOUBLE_EQ(models::count_macs([] {}).total, 0.0);
}

}  // namespace
}  // namespace chorus
