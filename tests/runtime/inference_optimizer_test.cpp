// optimize_for_inference must not change what a network computes: every registry architecture
// the brief names, with non-trivial BatchNorm statistics (the identity initialisation would hide
// a wrong fold), gives the same logits before and after, and every norm is folded.

#include "runtime/inference_optimizer.hpp"

#include <gtest/gtest.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/types.h>

#include <cmath>

#include "core/error.hpp"
#include "models/batch_norm_statistics.hpp"
#include "models/foldable_batch_norm.hpp"
#include "models/layers.hpp"
#include "models/model_registry.hpp"

namespace chorus {
namespace {

constexpr double kTolerance = 1e-4;  // max |Δ| of logits, relative to max(1, max |logit|)

using testing::randomise_batch_norms;
using testing::relative_difference;

class OptimizedBackbones : public ::testing::TestWithParam<std::string> {};

TEST_P(OptimizedBackbones, FoldEveryNormAndKeepTheLogits) {
  torch::manual_seed(0);
  const auto model =
      models::create_backbone({.arch = GetParam(), .in_channels = 1, .num_classes = 7});
  randomise_batch_norms(*model);
  model->eval();
  const torch::Tensor x = torch::randn({2, 1, 128, 192});
  torch::InferenceMode guard;
  const torch::Tensor expected = model->forward(x);

  const runtime::InferenceOptions options;
  const runtime::InferenceReport report = runtime::optimize_for_inference(*model, options);
  EXPECT_GT(report.batch_norms, 0);
  EXPECT_EQ(report.folded, report.batch_norms) << report.describe();
  EXPECT_TRUE(report.channels_last);
  if (GetParam() == "efficientnet_b0") {
    EXPECT_EQ(report.silus_replaced, 33);  // all but the SE blocks' (members, not in a Sequential)
  }
  const double diff =
      relative_difference(model->forward(runtime::inference_input(x, options)), expected);
  EXPECT_LE(diff, kTolerance);
  // A second optimisation must not fold the folded norms again.
  EXPECT_EQ(runtime::optimize_for_inference(*model, options).folded, report.folded);
  EXPECT_LE(relative_difference(model->forward(runtime::inference_input(x, options)), expected),
            kTolerance);
  std::printf("%s: %s; max |Δ| %.2e relative to logits up to %.2f\n", GetParam().c_str(),
              report.describe().c_str(), diff, expected.abs().max().item<double>());
}

INSTANTIATE_TEST_SUITE_P(Registry, OptimizedBackbones,
                         ::testing::Values("efficientnet_b0", "resnet18", "regnet_y_800mf"),
                         [](const auto& info) { return info.param; });

// Stock BatchNorm2d in a Sequential is replaced by an Identity; a norm after something other
// than a convolution stays, named in the report.
TEST(InferenceOptimizer, ReplacesStockNormsInSequentialsAndReportsTheRest) {
  torch::manual_seed(1);
  models::Layers net(torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 8, 3).padding(1)),
                     torch::nn::BatchNorm2d(8), torch::nn::ReLU(), torch::nn::BatchNorm2d(8));
  randomise_batch_norms(*net);
  net->eval();
  const torch::Tensor x = torch::randn({2, 3, 9, 11});
  torch::NoGradGuard no_grad;
  const torch::Tensor expected = net->forward(x);
  const runtime::InferenceReport report =
      runtime::optimize_for_inference(*net, {.fast_silu = false, .channels_last = false});
  EXPECT_EQ(report.batch_norms, 2);
  EXPECT_EQ(report.folded, 1);
  EXPECT_EQ(report.left, std::vector<std::string>{"3"});
  EXPECT_NE(dynamic_cast<torch::nn::IdentityImpl*>(net->ptr(1).get()), nullptr);
  EXPECT_NE(dynamic_cast<torch::nn::IdentityImpl*>(net->named_children()["1"].get()), nullptr);
  EXPECT_LE(relative_difference(net->forward(x), expected), kTolerance);
}

TEST(InferenceOptimizer, AFoldedNormRefusesToTrain) {
  const auto model =
      models::create_backbone({.arch = "resnet18", .in_channels = 1, .num_classes = 3});
  runtime::optimize_for_inference(*model);
  model->train();
  torch::NoGradGuard no_grad;
  EXPECT_THROW(model->forward(torch::randn({2, 1, 32, 32})), ModelError);
}

TEST(InferenceOptimizer, InputLayoutFollowsTheOptions) {
  const torch::Tensor x = torch::randn({2, 1, 8, 8});
  EXPECT_TRUE(runtime::inference_input(torch::randn({2, 3, 8, 8}), {})
                  .is_contiguous(torch::MemoryFormat::ChannelsLast));
  EXPECT_TRUE(runtime::inference_input(x, {.fast_silu = true, .channels_last = false}).is_same(x));
  EXPECT_THROW(runtime::inference_input(torch::randn({8, 8}), {}), ModelError);
}

}  // namespace
}  // namespace chorus
