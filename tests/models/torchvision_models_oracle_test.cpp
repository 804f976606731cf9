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

#include <algorithm>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "models/model_registry.hpp"
#include "models/network.hpp"
#include "models/npy_tensor.hpp"
#include "models/pretrained_weights.hpp"
#include "models/safetensors.hpp"
#include "runtime/compiled_network.hpp"
#include "runtime/inference_optimizer.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

constexpr int kClasses = 7;  // as in the oracle

// How close chorus's float32 logits must be to the exact ones (PyTorch in float64): no further
// than a few times PyTorch's own float32 result is. The networks are calibrated random ones whose
// logits reach the thousands at 64 × 160, where float32 resolves only ~2.4e-4, and each
// implementation rounds at its own points (summation order and blocking chosen per CPU by oneDNN,
// batch norms folded into the weights when compiled), so the limit is measured on the network
// and input at hand rather than fixed: kReferenceErrors times |PyTorch float32 − float64|, and
// never below kResolutionUlps float32 units at the logits' largest magnitude.
constexpr double kReferenceErrors = 8.0;
constexpr double kResolutionUlps = 64.0;

struct Agreement {
  double error;  // max |chorus − float64 logits|
  double limit;
  bool holds() const { return error <= limit; }
};

Agreement agreement(const torch::Tensor& chorus, const torch::Tensor& reference32,
                    const torch::Tensor& exact) {
  const double scale = std::max(1.0, exact.abs().max().item<double>());
  const double reference_error = testing::max_abs_diff(reference32, exact);
  const double resolution = kResolutionUlps * std::numeric_limits<float>::epsilon() * scale;
  return {testing::max_abs_diff(chorus, exact),
          std::max(kReferenceErrors * reference_error, resolution)};
}

struct OracleCase {
  std::string arch;
  int height = 128, width = 641;  // input size
};
// For ctest's test names: the architecture and size rather than the struct's bytes.
void PrintTo(const OracleCase& c, std::ostream* out) {
  *out << c.arch << " " << c.height << "x" << c.width;
}

// The architectures checked, and the input size of each.
const std::vector<OracleCase> kCases = {
    {"resnet18"},
    {"resnet34"},
    {"efficientnet_b0"},
    {"efficientnet_b1", 64, 160},
    {"efficientnet_b2", 64, 160},
    {"efficientnet_b3", 64, 160},
    {"regnet_y_800mf"},
    {"regnet_y_1_6gf", 64, 160},
};

// The oracle's output for an architecture, from one run of it for every case.
std::filesystem::path oracle_dir(const std::string& arch) {
  static const auto folders = [] {
    std::vector<std::string> names;
    for (const OracleCase& c : kCases) names.push_back(c.arch);
    return testing::run_oracle_once(
        "torchvision_models_oracle.py", names,
        [](const std::string& arch, const std::filesystem::path& folder) {
          const auto c = std::find_if(kCases.begin(), kCases.end(),
                                      [&](const OracleCase& k) { return k.arch == arch; });
          return std::vector<std::string>{arch, folder.string(), std::to_string(c->height),
                                          std::to_string(c->width)};
        });
  }();
  return folders.at(arch);
}

class TorchvisionModels : public ::testing::TestWithParam<OracleCase> {};

TEST_P(TorchvisionModels, SameWeightsGiveTheSameLogits) {
  at::set_num_threads(2);
  const std::string arch = GetParam().arch;
  const std::filesystem::path dir = oracle_dir(arch);
  const models::TensorMap weights = models::read_safetensors(dir / "weights.safetensors").tensors;
  torch::NoGradGuard no_grad;

  const models::ModelConfig rgb{.arch = arch, .in_channels = 3, .num_classes = kClasses};
  torch::nn::AnyModule model = models::create_model(rgb);
  const models::StateDictReport report = models::load_pretrained(*model.ptr(), rgb, weights);
  EXPECT_TRUE(report.unexpected.empty()) << report.describe();
  model.ptr()->eval();
  const torch::Tensor x3 = testing::load_npy_tensor(dir / "x3.npy");
  const torch::Tensor y3 = testing::load_npy_tensor(dir / "y3.npy");
  const torch::Tensor y3_exact = testing::load_npy_tensor(dir / "y3_64.npy");
  const Agreement batch = agreement(model.forward(x3), y3, y3_exact);
  const Agreement single =
      agreement(model.forward(x3.narrow(0, 0, 1)), y3.narrow(0, 0, 1), y3_exact.narrow(0, 0, 1));
  EXPECT_TRUE(batch.holds()) << "batch of 2: " << batch.error << " > " << batch.limit;
  EXPECT_TRUE(single.holds()) << "single: " << single.error << " > " << single.limit;

  const models::ModelConfig mono{.arch = arch, .in_channels = 1, .num_classes = kClasses};
  const std::shared_ptr<models::NetworkImpl> mono_model = models::create_network(mono);
  models::load_pretrained(*mono_model, mono, weights);
  mono_model->eval();
  const torch::Tensor x1 = testing::load_npy_tensor(dir / "x1.npy");
  const torch::Tensor y1 = testing::load_npy_tensor(dir / "y1.npy");
  const torch::Tensor y1_exact = testing::load_npy_tensor(dir / "y1_64.npy");
  const Agreement one_channel = agreement(mono_model->forward(x1), y1, y1_exact);
  EXPECT_TRUE(one_channel.holds())
      << "1-channel: " << one_channel.error << " > " << one_channel.limit;

  // Compiled: the norms folded into the convolutions, activations NHWC, oneDNN's kernels.
  runtime::optimize_for_inference(*mono_model, {.fast_silu = false, .channels_last = false});
  runtime::CompiledNetwork compiled(mono_model);
  const Agreement compiled_run = agreement(compiled.forward(x1, 2), y1, y1_exact);
  EXPECT_TRUE(compiled_run.holds())
      << "compiled: " << compiled_run.error << " > " << compiled_run.limit;
  std::printf(
      "%s: max |Δ| from float64 (limit): batch of 2 %.2e (%.2e), single %.2e (%.2e), 1-channel "
      "%.2e "
      "(%.2e), compiled %.2e (%.2e); PyTorch float32 %.2e; logits up to %.2f\n",
      arch.c_str(), batch.error, batch.limit, single.error, single.limit, one_channel.error,
      one_channel.limit, compiled_run.error, compiled_run.limit,
      testing::max_abs_diff(y1, y1_exact), y1_exact.abs().max().item<double>());
}

INSTANTIATE_TEST_SUITE_P(Backbones, TorchvisionModels, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return info.param.arch; });

}  // namespace
}  // namespace chorus
