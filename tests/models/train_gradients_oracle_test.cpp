// A training step of a chorus network against PyTorch autograd on torchvision's model
// (tests/oracles/train_gradients_oracle.py): the same weights, BatchNorm in training mode
// (normalising with the batch's statistics), dropout and stochastic depth at 0 so the step is
// deterministic. The logits, the gradient of loss = sum(logits * w) with respect to the input
// and to every parameter, and the BatchNorm running statistics after the pass must all agree.

#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/types.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "models/network.hpp"
#include "models/npy_tensor.hpp"
#include "models/safetensors.hpp"
#include "models/state_dict.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

// Max |Δ| relative to the reference's scale where that exceeds 1: gradients of early layers sum
// over many positions and reach magnitudes in the tens, where float32 rounding alone exceeds 1e-4.
double scaled_diff(const torch::Tensor& actual, const torch::Tensor& expected) {
  const double scale = std::max(1.0, expected.abs().max().item<double>());
  return testing::max_abs_diff(actual.to(torch::kFloat64), expected.to(torch::kFloat64)) / scale;
}

const std::vector<std::string> kArchitectures = {"efficientnet_b0", "resnet18"};

// The oracle's output for an architecture, from one run of it for every architecture.
std::filesystem::path oracle_dir(const std::string& arch) {
  static const auto folders =
      testing::run_oracle_once("train_gradients_oracle.py", kArchitectures,
                               [](const std::string& name, const std::filesystem::path& folder) {
                                 return std::vector<std::string>{name, folder.string()};
                               });
  return folders.at(arch);
}

class TrainGradients : public ::testing::TestWithParam<std::string> {};

TEST_P(TrainGradients, MatchPyTorchAutograd) {
  constexpr double kTolerance = 1e-4;
  at::set_num_threads(2);
  const std::string arch = GetParam();
  const std::filesystem::path dir = oracle_dir(arch);

  const models::ModelConfig config{
      .arch = arch, .in_channels = 3, .num_classes = 7, .dropout = 0.0, .stochastic_depth = 0.0};
  const auto network = models::create_network(config);
  models::load_state_dict(*network, models::read_safetensors(dir / "weights.safetensors").tensors);
  network->train();
  const torch::Tensor x = testing::load_npy_tensor(dir / "x.npy").requires_grad_(true);
  const torch::Tensor logits = network->forward(x);
  (logits * testing::load_npy_tensor(dir / "w.npy")).sum().backward();

  const double logits_diff = scaled_diff(logits, testing::load_npy_tensor(dir / "logits.npy"));
  const double x_diff = scaled_diff(x.grad(), testing::load_npy_tensor(dir / "x_grad.npy"));
  EXPECT_LE(logits_diff, kTolerance);
  EXPECT_LE(x_diff, kTolerance);

  const models::TensorMap grads = models::read_safetensors(dir / "grads.safetensors").tensors;
  double worst_grad = 0;
  std::string worst_name;
  for (const auto& item : network->named_parameters()) {
    ASSERT_TRUE(grads.contains(item.key())) << item.key();
    ASSERT_TRUE(item.value().grad().defined()) << item.key() << " got no gradient";
    const double diff = scaled_diff(item.value().grad(), grads.at(item.key()));
    EXPECT_LE(diff, kTolerance) << item.key();
    if (diff >= worst_grad) {
      worst_grad = diff;
      worst_name = item.key();
    }
  }
  EXPECT_EQ(grads.size(), network->named_parameters().size());

  const models::TensorMap after = models::read_safetensors(dir / "after.safetensors").tensors;
  const models::TensorMap own = models::state_dict(*network);
  double worst_buffer = 0;
  for (const auto& item : network->named_buffers()) {
    ASSERT_TRUE(after.contains(item.key())) << item.key();
    const double diff = scaled_diff(own.at(item.key()), after.at(item.key()));
    EXPECT_LE(diff, kTolerance) << item.key();
    worst_buffer = std::max(worst_buffer, diff);
  }
  std::printf(
      "%s training step: scaled max |Δ| logits %.2e, d/dx %.2e, d/dparameter %.2e (%s), "
      "BatchNorm buffers %.2e\n",
      arch.c_str(), logits_diff, x_diff, worst_grad, worst_name.c_str(), worst_buffer);
}

INSTANTIATE_TEST_SUITE_P(Networks, TrainGradients, ::testing::ValuesIn(kArchitectures),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace chorus
