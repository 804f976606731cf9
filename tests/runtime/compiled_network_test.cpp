// CompiledNetwork (the network described for inference and run as a graph::CompiledModel: the
// backbone's recorded program as oneDNN graphs, the head in plain C++) computes what LibTorch's
// network computes: every architecture family, every head and each of its outputs, the
// frequency-coordinate plane, a window at a time or several per graph pass (a short last pass
// included), on one thread or several, and from two callers at once; norms it finds unfolded it
// folds. A network it cannot compile is refused by name. In bf16 it computes the same to bf16's
// resolution where oneDNN has bf16 kernels and is refused by name where it has none; its graphs
// share one copy of the weights, in bf16 a half-size one.

#include "runtime/compiled_network.hpp"

#include <gtest/gtest.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/types.h>

#include <thread>

#include "core/error.hpp"
#include "graph/folded_convolution.hpp"
#include "graph/inference_graph.hpp"
#include "graph/precision.hpp"
#include "models/batch_norm_statistics.hpp"
#include "models/layers.hpp"
#include "models/lowering.hpp"
#include "runtime/folded_reference.hpp"
#include "runtime/inference_optimizer.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

using testing::relative_difference;

constexpr double kTolerance = 1e-4;  // as the inference optimiser's and the torchvision oracle's

using Reference = testing::FoldedReference;
using testing::folded_reference;

struct CompiledCase {
  std::string arch;
  models::HeadKind head = models::HeadKind::linear;
  bool coord_conv = false;

  // This case's network over 6 classes, with its outputs for `x`.
  Reference reference(const torch::Tensor& x) const {
    return testing::folded_reference(
        {.arch = arch, .in_channels = 1, .num_classes = 6, .head = head, .coord_conv = coord_conv},
        x);
  }
};
void PrintTo(const CompiledCase& c, std::ostream* out) {
  *out << c.arch << " " << core::enum_name(c.head);
}

class CompiledNetworks : public ::testing::TestWithParam<CompiledCase> {};

TEST_P(CompiledNetworks, GiveTheNetworksOutputs) {
  const CompiledCase& c = GetParam();
  torch::manual_seed(1);
  const torch::Tensor x = torch::randn({5, 1, 64, 160});
  const Reference ref = c.reference(x);
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
      EXPECT_LE(relative_difference(out.clip_probabilities, ref.output.clip_probabilities),
                kTolerance);
      EXPECT_LE(relative_difference(out.attention, ref.output.attention), kTolerance);
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
      folded_reference({.arch = "efficientnet_b0", .in_channels = 1, .num_classes = 4}, a);
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

// bf16 keeps 8 significant bits: each stored weight and activation is off by up to u = 2^-8 of
// itself, and a network rounds once per layer. Over the ≤ 60 layers on the longest path of these
// networks independent roundings add up to about √60·u ≈ 0.03 of the output's scale (60·u ≈ 0.23
// only if every one fell the same way; measured: 1.6e-4 to 2.2e-3). The other side of the test:
// fp32's rounding differences are below 1e-4 (kTolerance), so a difference above that shows that
// bf16 really ran.
constexpr double kBf16Tolerance = 0.03;

bool has_bf16_kernels() {
  try {
    static_cast<void>(graph::resolve_precision(graph::Precision::bf16));
    return true;
  } catch (const ConfigError&) {
    return false;
  }
}

TEST_P(CompiledNetworks, GiveTheNetworksOutputsToBf16Resolution) {
  const CompiledCase& c = GetParam();
  torch::manual_seed(1);
  const torch::Tensor x = torch::randn({3, 1, 64, 160});
  const Reference ref = c.reference(x);
  if (!has_bf16_kernels()) {
    // Below AVX-512 (ONEDNN_MAX_CPU_ISA=AVX2) oneDNN has no bf16 kernels: refused up front.
    EXPECT_THROW(runtime::CompiledNetwork(ref.network, 1, graph::Precision::bf16), ConfigError);
    return;
  }
  runtime::CompiledNetwork compiled(ref.network, 1, graph::Precision::bf16);
  ASSERT_EQ(compiled.precision(), graph::Precision::bf16);
  const models::NetworkOutput out = compiled.forward_output(x, 2);
  const double diff = relative_difference(out.logits, ref.output.logits);
  EXPECT_LE(diff, kBf16Tolerance);
  EXPECT_GT(diff, kTolerance) << "as close as fp32: bf16 did not run";
  if (c.head == models::HeadKind::sed) {
    EXPECT_LE(relative_difference(out.frame_probabilities, ref.output.frame_probabilities),
              kBf16Tolerance);
  }
  std::printf("%s %s bf16 (%s): max |Δ| %.2e of the output's scale\n", c.arch.c_str(),
              std::string(core::enum_name(c.head)).c_str(), graph::effective_isa().c_str(), diff);
}

TEST(CompiledNetwork, GraphsShareOneCopyOfTheWeights) {
  torch::manual_seed(5);
  const torch::Tensor x = torch::randn({4, 1, 64, 96});
  const Reference ref =
      folded_reference({.arch = "efficientnet_b0", .in_channels = 1, .num_classes = 4}, x);
  std::int64_t parameters = 0;  // the backbone's convolution weights and (folded) biases
  for (const auto& m : ref.network->backbone().modules())
    if (const auto* conv = dynamic_cast<const torch::nn::Conv2dImpl*>(m.get()))
      parameters += conv->weight.numel() + conv->options.out_channels();
  runtime::CompiledNetwork fp32(ref.network);
  fp32.forward(x.narrow(0, 0, 1), 1);
  const std::size_t one_graph = fp32.weight_bytes();
  // In float32 (a kernel's layout may pad a little).
  EXPECT_GE(one_graph, static_cast<std::size_t>(parameters) * 4 * 9 / 10);
  EXPECT_LE(one_graph, static_cast<std::size_t>(parameters) * 4 * 12 / 10);
  // Four windows on two threads: two more graphs of the same shape, no more weights.
  fp32.forward(x, 2);
  fp32.forward(x, 2);
  EXPECT_EQ(fp32.weight_bytes(), one_graph);
  if (!has_bf16_kernels()) return;
  runtime::CompiledNetwork bf16(ref.network, 1, graph::Precision::bf16);
  bf16.forward(x, 2);
  // bf16 weights, float32 biases: a little over half.
  EXPECT_GT(bf16.weight_bytes(), one_graph * 45 / 100);
  EXPECT_LT(bf16.weight_bytes(), one_graph * 60 / 100);
}

TEST(CompiledNetwork, FoldsTheNormsOfANetworkNotFoldedBefore) {
  // The graph folds each BatchNorm into its convolution where inference optimisation has not:
  // ResNet's norms are members beside their convolutions, EfficientNet's sit in Sequentials.
  torch::manual_seed(6);
  const torch::Tensor x = torch::randn({2, 1, 64, 96});
  for (const std::string arch : {"resnet18", "efficientnet_b0"}) {
    auto network = models::create_network({.arch = arch, .in_channels = 1, .num_classes = 3});
    testing::randomise_batch_norms(*network);
    network->eval();
    torch::Tensor expected;
    {
      torch::InferenceMode guard;
      expected = network->forward(x);
    }
    runtime::CompiledNetwork compiled(network);
    EXPECT_LE(relative_difference(compiled.forward(x, 1), expected), kTolerance) << arch;
  }
  auto network = models::create_network({.arch = "resnet18", .in_channels = 1, .num_classes = 3});
  network->train();
  EXPECT_THROW(runtime::CompiledNetwork{network}, ModelError);
  network->eval();
  EXPECT_THROW(runtime::CompiledNetwork(network, 0), ModelError);
}

TEST(FoldedConvolution, ComputesTheConvolutionThenItsNorm) {
  // Against LibTorch's conv2d followed by batch_norm in inference, with and without the norm's
  // affine parameters and the convolution's bias, grouped and strided.
  torch::manual_seed(7);
  const torch::Tensor x = torch::randn({2, 4, 9, 11});
  for (const bool affine : {true, false}) {
    torch::nn::Conv2d conv(
        torch::nn::Conv2dOptions(4, 6, 3).stride(2).padding(1).groups(2).bias(!affine));
    torch::nn::BatchNorm2d norm(torch::nn::BatchNorm2dOptions(6).affine(affine).eps(1e-3));
    norm->eval();
    torch::NoGradGuard no_grad;
    norm->running_mean.uniform_(-1, 1);
    norm->running_var.uniform_(0.5, 2);
    if (affine) {
      norm->weight.uniform_(0.5, 1.5);
      norm->bias.uniform_(-1, 1);
    }
    const torch::Tensor expected = norm(conv(x));
    const graph::FoldedConvolution folded =
        graph::fold(models::describe_convolution(*conv, norm.ptr().get()));
    const torch::Tensor weight =
        torch::from_blob(const_cast<float*>(folded.weight.data()), conv->weight.sizes());
    const torch::Tensor bias = torch::from_blob(const_cast<float*>(folded.bias.data()), {6});
    const torch::Tensor out = torch::conv2d(x, weight, bias, 2, 1, 1, 2);
    // Each folded value rounds once to float32 (relative 2^-24) and a 3x3x2 dot product adds
    // 18 roundings of the same size: far below 1e-5 of the output's scale.
    EXPECT_LE(relative_difference(out, expected), 1e-5) << (affine ? "affine" : "plain");
  }
}

TEST(CompiledNetwork, RefusesAModuleItCannotLower) {
  // A Sequential with a stand-alone BatchNorm (nothing to fold it into) and one with a module the
  // graph has no operation for.
  models::Layers norm_alone(torch::nn::BatchNorm2d(2));
  norm_alone->eval();
  graph::InferenceGraph graph({1, 2, 8, 8});
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

  graph::InferenceGraph graph({2, 3, 15, 17});
  const graph::GraphValue p =
      graph.max_pool(graph.conv(graph.input(), models::describe_convolution(*first)), 3, 2, 1);
  graph.finish(graph.conv(p, models::describe_convolution(*second), graph::PostOp::relu, p));
  ASSERT_EQ(graph.output_shape(), (graph::Shape4{2, 8, 8, 9}));
  torch::Tensor out = torch::empty({2, 8, 8, 9});
  graph.run(x.contiguous().data_ptr<float>(), out.data_ptr<float>());
  EXPECT_LE(relative_difference(out, expected), 1e-5);
}

TEST(InferenceGraph, SqueezeExcitationFoldedIntoTheNextWeightsMatchesTorch) {
  // a = SiLU(conv(x)), s = σ(fc2(SiLU(fc1(mean(a))))), p = a · s; y = conv1x1(p) reads p with its
  // scale folded into its weights (batch 1, weights far smaller than p); a max pool then reads p
  // too, which has the product computed in place after y's convolution; out = conv1x1(pool) + y.
  // With batch 2 nothing folds (the scale is per image). The same to float32 rounding either way,
  // and to bf16's resolution in bf16.
  torch::manual_seed(5);
  torch::nn::Conv2d first(torch::nn::Conv2dOptions(4, 8, 3).padding(1));
  torch::nn::Conv2d fc1(torch::nn::Conv2dOptions(8, 4, 1)), fc2(torch::nn::Conv2dOptions(4, 8, 1));
  torch::nn::Conv2d project(torch::nn::Conv2dOptions(8, 4, 1)),
      after(torch::nn::Conv2dOptions(8, 4, 1));
  torch::NoGradGuard no_grad;
  for (const std::int64_t batch : {1, 2}) {
    const torch::Tensor x = torch::randn({batch, 4, 12, 20});
    const torch::Tensor a = torch::silu(first(x));
    const torch::Tensor s = torch::sigmoid(fc2(torch::silu(fc1(a.mean({2, 3}, /*keepdim=*/true)))));
    const torch::Tensor p = a * s;
    const torch::Tensor expected = after(torch::max_pool2d(p, 3, 1, 1)) + project(p);
    for (const graph::Precision precision : {graph::Precision::fp32, graph::Precision::bf16}) {
      if (precision == graph::Precision::bf16 && !has_bf16_kernels()) continue;
      graph::InferenceGraph graph({batch, 4, 12, 20}, precision);
      const graph::GraphValue ga =
          graph.conv(graph.input(), models::describe_convolution(*first), graph::PostOp::silu);
      const graph::GraphValue pooled = graph.global_average(ga);
      const graph::GraphValue gs =
          graph.conv(graph.conv(pooled, models::describe_convolution(*fc1), graph::PostOp::silu),
                     models::describe_convolution(*fc2), graph::PostOp::sigmoid);
      const graph::GraphValue gp = graph.scale_channels(ga, gs);
      const graph::GraphValue gy = graph.conv(gp, models::describe_convolution(*project));
      graph.finish(graph.conv(graph.max_pool(gp, 3, 1, 1), models::describe_convolution(*after),
                              graph::PostOp::none, gy));
      torch::Tensor out = torch::empty({batch, 4, 12, 20});
      graph.run(x.contiguous().data_ptr<float>(), out.data_ptr<float>());
      const double diff = relative_difference(out, expected);
      EXPECT_LE(diff, precision == graph::Precision::fp32 ? 1e-5 : kBf16Tolerance)
          << "batch " << batch << " " << core::enum_name(precision);
    }
  }
}

}  // namespace
}  // namespace chorus
