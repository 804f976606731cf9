// chorus networks (linear head) against torchvision (tests/oracles/torchvision_models_oracle.py):
// the same weights, loaded unchanged from torchvision's state dict, give the same logits in eval
// mode — for a batch of two 3-channel inputs, for one alone, and for the 1-channel model derived
// from the 3-channel weights by summing the first convolution over RGB; the 1-channel model also
// compiled for inference (CompiledNetwork, what `chorus predict` runs). The architectures already
// checked at a 10 s BirdCLEF window (128 × 641) are the smaller ones; the larger variants run on
// a 64 × 160 input, which keeps the test at seconds and still crosses every stage.

#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/types.h>

#include "models/compiled_network.hpp"
#include "models/inference_optimizer.hpp"
#include "models/model_registry.hpp"
#include "models/network.hpp"
#include "models/npy_tensor.hpp"
#include "models/pretrained_weights.hpp"
#include "models/safetensors.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

constexpr int kClasses = 7;          // as in the oracle
constexpr double kTolerance = 1e-4;  // max abs difference of logits (float32, summation order)

struct OracleCase {
  std::string arch;
  int height = 128, width = 641;  // input size
};
// For ctest's test names: the architecture and size rather than the struct's bytes.
void PrintTo(const OracleCase& c, std::ostream* out) {
  *out << c.arch << " " << c.height << "x" << c.width;
}

class TorchvisionModels : public ::testing::TestWithParam<OracleCase> {};

TEST_P(TorchvisionModels, SameWeightsGiveTheSameLogits) {
  at::set_num_threads(2);
  const std::string arch = GetParam().arch;
  testing::TempDir dir;
  testing::run_oracle("torchvision_models_oracle.py",
                      {arch, dir.path().string(), std::to_string(GetParam().height),
                       std::to_string(GetParam().width)});
  const models::TensorMap weights = models::read_safetensors(dir / "weights.safetensors").tensors;
  torch::NoGradGuard no_grad;

  const models::ModelConfig rgb{.arch = arch, .in_channels = 3, .num_classes = kClasses};
  torch::nn::AnyModule model = models::create_model(rgb);
  const models::StateDictReport report = models::load_pretrained(*model.ptr(), rgb, weights);
  EXPECT_TRUE(report.unexpected.empty()) << report.describe();
  model.ptr()->eval();
  const torch::Tensor x3 = testing::load_npy_tensor(dir / "x3.npy");
  const torch::Tensor y3 = testing::load_npy_tensor(dir / "y3.npy");
  const double batch_diff = testing::max_abs_diff(model.forward(x3), y3);
  const double single_diff =
      testing::max_abs_diff(model.forward(x3.narrow(0, 0, 1)), y3.narrow(0, 0, 1));
  EXPECT_LE(batch_diff, kTolerance);
  EXPECT_LE(single_diff, kTolerance);

  const models::ModelConfig mono{.arch = arch, .in_channels = 1, .num_classes = kClasses};
  const std::shared_ptr<models::NetworkImpl> mono_model = models::create_network(mono);
  models::load_pretrained(*mono_model, mono, weights);
  mono_model->eval();
  const torch::Tensor x1 = testing::load_npy_tensor(dir / "x1.npy");
  const torch::Tensor y1 = testing::load_npy_tensor(dir / "y1.npy");
  const double mono_diff = testing::max_abs_diff(mono_model->forward(x1), y1);
  EXPECT_LE(mono_diff, kTolerance);

  // Compiled, the norms are folded into the convolutions, which rounds differently: relative to
  // the logits' size (the calibrated 1-channel B1…B3 at 64 × 160 give logits in the thousands,
  // where float32 itself resolves only ~5e-4 and PyTorch in float64 differs from float32 by 0.1).
  models::optimize_for_inference(*mono_model, {.fast_silu = false, .channels_last = false});
  models::CompiledNetwork compiled(mono_model);
  const double scale = std::max(1.0, y1.abs().max().item<double>());
  const double compiled_diff = testing::max_abs_diff(compiled.forward(x1, 2), y1) / scale;
  EXPECT_LE(compiled_diff, kTolerance);
  std::printf(
      "%s: max |Δ| batch of 2 %.2e, single %.2e, 1-channel %.2e (logits up to %.2f); compiled %.2e "
      "relative to 1-channel logits up to %.2f\n",
      arch.c_str(), batch_diff, single_diff, mono_diff, y3.abs().max().item<double>(),
      compiled_diff, scale);
}

INSTANTIATE_TEST_SUITE_P(Backbones, TorchvisionModels,
                         ::testing::Values(OracleCase{"resnet18"}, OracleCase{"resnet34"},
                                           OracleCase{"efficientnet_b0"},
                                           OracleCase{"efficientnet_b1", 64, 160},
                                           OracleCase{"efficientnet_b2", 64, 160},
                                           OracleCase{"efficientnet_b3", 64, 160},
                                           OracleCase{"regnet_y_800mf"},
                                           OracleCase{"regnet_y_1_6gf", 64, 160}),
                         [](const auto& info) { return info.param.arch; });

}  // namespace
}  // namespace chorus
