// CompiledNetwork (the backbone as oneDNN graphs, the head in LibTorch) computes what the
// network computes: every architecture family, every head, the frequency-coordinate plane, a
// window at a time or several per graph pass (a short last pass included), on one thread or
// several, and from two callers at once. A network it cannot compile is refused by name.

#include "runtime/compiled_network.hpp"

#include <gtest/gtest.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/types.h>

#include <thread>

#include "core/error.hpp"
#include "models/batch_norm_statistics.hpp"
#include "models/layers.hpp"
#include "models/lowering.hpp"
#include "runtime/inference_graph.hpp"
#include "runtime/inference_optimizer.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

using testing::relative_difference;

constexpr double kTolerance = 1e-4;  // as the inference optimiser's and the torchvision oracle's

// A network of `config` with non-trivial norms, in eval mode, and its outputs for `x` as trained.
struct Reference {
  std::shared_ptr<models::NetworkImpl> network;
  models::NetworkOutput output;
};

Reference reference(const models::ModelConfig& config, const torch::Tensor& x) {
  torch::manual_seed(3);
  auto network = models::create_network(config);
  testing::randomise_batch_norms(*network);
  network->eval();
  torch::InferenceMode guard;
  models::NetworkOutput output = network->forward_output(x);
  runtime::optimize_for_inference(*network, {.fast_silu = false, .channels_last = false});
  return {network, output};
}

struct CompiledCase {
  std::string arch;
  models::HeadKind head = models::HeadKind::linear;
  bool coord_conv = false;
};
void PrintTo(const CompiledCase& c, std::ostream* out) {
  *out << c.arch << " " << core::enum_name(c.head);
}

class CompiledNetworks : public ::testing::TestWithParam<CompiledCase> {};

TEST_P(CompiledNetworks, GiveTheNetworksOutputs) {
  const CompiledCase& c = GetParam();
  torch::manual_seed(1);
  const torch::Tensor x = torch::randn({5, 1, 64, 160});
  const Reference ref = reference({.arch = c.arch,
                                   .in_channels = 1,
                                   .num_classes = 6,
                                   .head = c.head,
                                   .coord_conv = c.coord_conv},
                                  x);
  // One window per pass on two threads (windows side by side), and three per pass on one thread
  // (passes of 3 and 2).
  for (const auto& [graph_batch, threads] : {std::pair{1, 2}, std::pair{3, 1}}) {
    runtime::CompiledNetwork compiled(ref.network, graph_batch);
    const models::NetworkOutput out = compiled.forward_output(x, threads);
    const double diff = relative_difference(out.logits, ref.output.logits);
    EXPECT_LE(diff, kTolerance) << "graph batch " << graph_batch << ", " << threads << " threads";
    if (c.head == models::HeadKind::sed) {
      EXPECT_LE(relative_difference(out.frame_probabilities, ref.output.frame_probabilities),
                kTolerance);
      EXPECT_EQ(out.input_frames, ref.output.input_frames);
    }
    std::printf("%s %s graph batch %d, %d threads: max |Δ| %.2e\n", c.arch.c_str(),
                std::string(core::enum_name(c.head)).c_str(), graph_batch, threads, diff);
  }
}

INSTANTIATE_TEST_SUITE_P(Registry, CompiledNetworks,
                         ::testing::Values(CompiledCase{"efficientnet_b0"},
                                           CompiledCase{"efficientnet_b2", models::HeadKind::gem},
                                           CompiledCase{"regnet_y_800mf", models::HeadKind::sed,
                                                        true},
                                           CompiledCase{"regnet_y_1_6gf"},
                                           CompiledCase{"resnet18", models::HeadKind::sed},
                                           CompiledCase{"resnet34", models::HeadKind::gem, true}),
                         [](const auto& info) {
                           return info.param.arch + "_" +
                                  std::string(core::enum_name(info.param.head));
                         });

TEST(CompiledNetwork, TwoCallersAtOnceGetTheirOwnGraphs) {
  torch::manual_seed(2);
  const torch::Tensor a = torch::randn({3, 1, 64, 96}), b = torch::randn({2, 1, 64, 96});
  const Reference ref =
      reference({.arch = "efficientnet_b0", .in_channels = 1, .num_classes = 4}, a);
  torch::Tensor expected_b;
  {
    torch::InferenceMode guard;
    expected_b = ref.network->forward(b);
  }
  runtime::CompiledNetwork compiled(ref.network);
  torch::Tensor out_a, out_b;
  std::thread other([&] { out_b = compiled.forward(b, 1); });
  out_a = compiled.forward(a, 1);
  other.join();
  EXPECT_LE(relative_difference(out_a, ref.output.logits), kTolerance);
  EXPECT_LE(relative_difference(out_b, expected_b), kTolerance);
}

TEST(CompiledNetwork, RefusesNormsThatAreNotFolded) {
  auto network = models::create_network({.arch = "resnet18", .in_channels = 1, .num_classes = 3});
  network->eval();
  runtime::CompiledNetwork compiled(network);
  try {
    compiled.forward(torch::randn({1, 1, 32, 32}), 1);
    FAIL() << "an unfolded network compiled";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("not folded"), std::string::npos) << e.what();
  }
  network->train();
  EXPECT_THROW(runtime::CompiledNetwork{network}, ModelError);
  EXPECT_THROW(runtime::CompiledNetwork(network, 0), ModelError);
}

TEST(CompiledNetwork, RefusesAModuleItCannotLower) {
  // A Sequential with a stand-alone BatchNorm (nothing to fold it into) and one with a module the
  // graph has no operation for.
  models::Layers norm_alone(torch::nn::BatchNorm2d(2));
  norm_alone->eval();
  runtime::InferenceGraph graph({1, 2, 8, 8});
  EXPECT_THROW(models::lower_sequence(graph, *norm_alone, graph.input()), ModelError);
  models::Layers unknown(torch::nn::Conv2d(torch::nn::Conv2dOptions(2, 2, 3).padding(1)),
                         torch::nn::Softmax(1));
  EXPECT_THROW(models::lower_sequence(graph, *unknown, graph.input()), ModelError);
}

TEST(InferenceGraph, MaxPoolAndResidualMatchTorch) {
  // conv → max pool (−∞ padding, floor) → conv summed into a residual, with a ReLU after the sum.
  torch::manual_seed(4);
  torch::nn::Conv2d first(torch::nn::Conv2dOptions(3, 8, 3).padding(1));
  torch::nn::Conv2d second(torch::nn::Conv2dOptions(8, 8, 3).padding(1));
  const torch::Tensor x = torch::randn({2, 3, 15, 17});
  torch::NoGradGuard no_grad;
  const torch::Tensor pooled = torch::max_pool2d(first(x), 3, 2, 1);
  const torch::Tensor expected = torch::relu(second(pooled) + pooled);

  runtime::InferenceGraph graph({2, 3, 15, 17});
  const models::GraphValue p = graph.max_pool(graph.conv(graph.input(), *first), 3, 2, 1);
  graph.finish(graph.conv(p, *second, models::PostOp::relu, p));
  ASSERT_EQ(graph.output_shape(), (models::Shape4{2, 8, 8, 9}));
  torch::Tensor out = torch::empty({2, 8, 8, 9});
  graph.run(x.contiguous().data_ptr<float>(), out.data_ptr<float>());
  EXPECT_LE(relative_difference(out, expected), 1e-5);
}

}  // namespace
}  // namespace chorus
