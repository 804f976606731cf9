// int8 inference: Int8Calibrator records the range of every convolution's input and leaves the
// first convolution and the 1×1 (squeeze-excitation) ones in float, measuring the others' errors
// with the weight levels this CPU takes; a CompiledNetwork in int8
// computes the network's outputs to int8's resolution for every architecture family and head,
// and refuses a network without a calibration or with another network's.

#include <gtest/gtest.h>
#include <torch/types.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "graph/int8_plan.hpp"
#include "graph/precision.hpp"
#include "runtime/compiled_network.hpp"
#include "runtime/folded_reference.hpp"
#include "runtime/inference_optimizer.hpp"
#include "runtime/int8_calibrator.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

using testing::relative_difference;

using Reference = testing::FoldedReference;
using testing::folded_reference;

graph::Int8Calibration calibrate(const std::shared_ptr<models::NetworkImpl>& network,
                                 const torch::Tensor& x) {
  runtime::Int8Calibrator calibrator(network);
  // Two calls: ranges merge over them.
  calibrator.observe(x.narrow(0, 0, 2));
  calibrator.observe(x.narrow(0, 2, x.size(0) - 2));
  EXPECT_EQ(calibrator.windows(), x.size(0));
  return calibrator.result();
}

TEST(Int8Calibrator, RecordsEachConvolutionsInputRangeAndItsFallbacks) {
  torch::manual_seed(1);
  const torch::Tensor x = torch::randn({4, 1, 64, 96});
  const Reference ref =
      folded_reference({.arch = "efficientnet_b0", .in_channels = 1, .num_classes = 3}, x);
  const graph::Int8Calibration calibration = calibrate(ref.network, x);
  ASSERT_FALSE(calibration.empty());
  EXPECT_EQ(calibration.windows, 4);
  // The stem reads the windows themselves.
  const auto& stem = calibration.convolutions.front();
  EXPECT_EQ(stem.input_min, x.min().item<float>());
  EXPECT_EQ(stem.input_max, x.max().item<float>());
  EXPECT_EQ(stem.fallback, graph::Int8Fallback::first);
  // EfficientNet-B0: 16 MBConv blocks, each with a squeeze-excitation of two 1×1 convolutions.
  const auto one_by_one =
      std::count_if(calibration.convolutions.begin(), calibration.convolutions.end(),
                    [](const auto& c) { return c.fallback == graph::Int8Fallback::one_by_one; });
  EXPECT_EQ(one_by_one, 32);
  EXPECT_EQ(calibration.quantized(), static_cast<int>(calibration.convolutions.size()) - 1 - 32);
  // The errors are measured with the weight levels this CPU's int8 kernels take.
  EXPECT_EQ(calibration.weight_levels, graph::weight_levels());
  for (const auto& c : calibration.convolutions) {
    EXPECT_LE(c.input_min, c.input_max);
    if (c.fallback == graph::Int8Fallback::none) {
      // Each layer's own quantisation error: above zero, and small (a few quantisation steps).
      EXPECT_GT(c.error, 0.0f);
      EXPECT_LT(c.error, 0.1f);
    } else {
      EXPECT_EQ(c.error, 0.0f);
    }
  }
}

// int8 maps each convolution's input onto the integer steps of its calibrated range and each
// weight onto those of its output channel's: every value is off by up to half a step, 2^-8 of the
// range, where bf16 is off by 2^-8 of the value itself. Over the ≤ 50 int8 layers on the longest
// path, independent errors add up to about √50 · 2^-8 ≈ 0.03 of the output's scale (the range of
// a layer's output is its scale; measured: 5e-4 to 2e-3). The other side: above fp32's 1e-4, so
// int8 really ran.
constexpr double kInt8Tolerance = 0.03;

class CompiledInt8 : public ::testing::TestWithParam<models::ModelConfig> {};

TEST_P(CompiledInt8, GivesTheNetworksOutputsToInt8Resolution) {
  const models::ModelConfig config = GetParam();
  torch::manual_seed(1);
  const torch::Tensor x = torch::randn({5, 1, 64, 160});
  const Reference ref = folded_reference(config, x);
  const graph::Int8Calibration calibration = calibrate(ref.network, x);
  runtime::CompiledNetwork compiled(ref.network, 1, graph::Precision::int8, calibration);
  ASSERT_EQ(compiled.precision(), graph::Precision::int8);
  const models::NetworkOutput out = compiled.forward_output(x, 2);
  const double diff = relative_difference(out.logits, ref.output.logits);
  EXPECT_LE(diff, kInt8Tolerance);
  EXPECT_GT(diff, 1e-4) << "as close as fp32: int8 did not run";
  if (config.head == models::HeadKind::sed) {
    EXPECT_LE(relative_difference(out.frame_probabilities, ref.output.frame_probabilities),
              kInt8Tolerance);
  }
  std::printf("%s %s int8 (%s): max |Δ| %.2e of the output's scale\n", config.arch.c_str(),
              std::string(core::enum_name(config.head)).c_str(), graph::effective_isa().c_str(),
              diff);
}

INSTANTIATE_TEST_SUITE_P(
    Registry, CompiledInt8,
    ::testing::Values(
        models::ModelConfig{.arch = "efficientnet_b0", .in_channels = 1, .num_classes = 6},
        models::ModelConfig{.arch = "efficientnet_b2",
                            .in_channels = 1,
                            .num_classes = 6,
                            .head = models::HeadKind::gem},
        models::ModelConfig{.arch = "regnet_y_800mf",
                            .in_channels = 1,
                            .num_classes = 6,
                            .head = models::HeadKind::sed,
                            .coord_conv = true},
        models::ModelConfig{
            .arch = "resnet18", .in_channels = 1, .num_classes = 6, .head = models::HeadKind::sed},
        models::ModelConfig{
            .arch = "resnet34", .in_channels = 1, .num_classes = 6, .head = models::HeadKind::gem}),
    [](const auto& info) {
      return info.param.arch + "_" + std::string(core::enum_name(info.param.head));
    });

TEST(CompiledInt8, RefusesANetworkWithoutCalibrationOrWithAnothers) {
  torch::manual_seed(2);
  const torch::Tensor x = torch::randn({3, 1, 64, 96});
  const Reference resnet18 =
      folded_reference({.arch = "resnet18", .in_channels = 1, .num_classes = 3}, x);
  EXPECT_THROW(runtime::CompiledNetwork(resnet18.network, 1, graph::Precision::int8), ModelError);
  const Reference resnet34 =
      folded_reference({.arch = "resnet34", .in_channels = 1, .num_classes = 3}, x);
  const graph::Int8Calibration of_18 = calibrate(resnet18.network, x);
  try {
    runtime::CompiledNetwork(resnet34.network, 1, graph::Precision::int8, of_18);
    FAIL() << "resnet34 took resnet18's calibration";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("calibrate"), std::string::npos) << e.what();
  }
}

TEST(Int8Calibrator, StoresItsWeightLevelsAndReadsRecordsWrittenWithout) {
  torch::manual_seed(3);
  const torch::Tensor x = torch::randn({3, 1, 64, 96});
  const Reference ref =
      folded_reference({.arch = "resnet18", .in_channels = 1, .num_classes = 3}, x);
  graph::Int8Calibration calibration = calibrate(ref.network, x);
  calibration.weight_levels = 63;
  nlohmann::json json = calibration.to_json();
  EXPECT_EQ(graph::Int8Calibration::from_json(json, "m.ckpt").weight_levels, 63);
  // Written before the levels were recorded: the errors were measured with ±127.
  json.erase("weight_levels");
  EXPECT_EQ(graph::Int8Calibration::from_json(json, "m.ckpt").weight_levels, 127);
  json["weight_levels"] = 100;
  try {
    static_cast<void>(graph::Int8Calibration::from_json(json, "m.ckpt"));
    FAIL() << "took 100 weight levels";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("m.ckpt: int8 calibration names 100 weight levels"),
              std::string::npos)
        << e.what();
  }
}

TEST(Int8Quantization, CoversTheCalibratedRange) {
  // After a ReLU: [0, max] on 255 steps from 0; with negatives: [min, max] with 0 on a step.
  const auto relu = graph::input_quantization({.input_min = 0, .input_max = 5.1f});
  EXPECT_EQ(relu.zero_point, 0);
  EXPECT_FLOAT_EQ(relu.scale, 5.1f / 255);
  const auto silu = graph::input_quantization({.input_min = -0.28f, .input_max = 12.47f});
  EXPECT_FLOAT_EQ(silu.scale, 12.75f / 255);
  EXPECT_EQ(silu.zero_point, 6);  // 0.28 / 0.05 = 5.6
  const auto positive = graph::input_quantization({.input_min = 2, .input_max = 4});
  EXPECT_EQ(positive.zero_point, 0);
  EXPECT_FLOAT_EQ(positive.scale, 4.0f / 255);
  // Weights [3, 2, 1, 1]: each channel's own max |w|, and 1 for a channel of zeros.
  const std::vector<float> w{1.0f, -2.54f, 0.0f, 0.5f, 0.0f, -0.0f};
  const auto weights = graph::weight_scales(w, 3, 127);
  ASSERT_EQ(weights.size(), 3u);
  EXPECT_FLOAT_EQ(weights[0], 2.54f / 127);
  EXPECT_FLOAT_EQ(weights[1], 0.5f / 127);
  EXPECT_FLOAT_EQ(weights[2], 1.0f);
}

}  // namespace
}  // namespace chorus
