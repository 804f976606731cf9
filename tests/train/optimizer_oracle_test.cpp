// AdamW with timm's parameter groups against torch.optim.AdamW (tests/oracles/adamw_oracle.py):
// the same weights and gradients, five steps, with and without torch's clip_grad_norm_.

#include <gtest/gtest.h>
#include <torch/nn/utils/clip_grad.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "models/npy_tensor.hpp"
#include "models/safetensors.hpp"
#include "models/state_dict.hpp"
#include "support/test_support.hpp"
#include "train/optimizer.hpp"
#include "train/tiny_net.hpp"

namespace chorus {
namespace {

constexpr int kSteps = 5;

constexpr double kLr = 0.01, kWeightDecay = 0.05;
const std::vector<double> kMaxNorms = {0.0, 1.0};  // without and with clipping

// The folder of each max_norm's run, from one run of the oracle for all of them.
std::filesystem::path oracle_dir(double max_norm) {
  static const auto folders = [] {
    std::vector<std::string> names;
    for (const double norm : kMaxNorms) names.push_back(fmt::format("{}", norm));
    return testing::run_oracle_once(
        "adamw_oracle.py", names, [](const std::string& norm, const std::filesystem::path& folder) {
          return std::vector<std::string>{folder.string(), fmt::format("{}", kLr),
                                          fmt::format("{}", kWeightDecay), std::to_string(kSteps),
                                          norm};
        });
  }();
  return folders.at(fmt::format("{}", max_norm));
}

void expect_adamw_matches_pytorch(double max_norm) {
  train::TrainConfig c;
  c.lr = kLr;
  c.weight_decay = kWeightDecay;
  const std::filesystem::path dir = oracle_dir(max_norm);
  testing::TinyNet model;
  models::load_state_dict(*model, models::read_safetensors(dir / "initial.safetensors").tensors);
  const models::TensorMap gradients =
      models::read_safetensors(dir / "gradients.safetensors").tensors;
  const auto optimizer = train::make_optimizer(*model, c);
  for (int step = 0; step < kSteps; ++step) {
    for (auto& item : model->named_parameters())
      item.value().mutable_grad() = gradients.at(fmt::format("{}.{}", step, item.key())).clone();
    if (max_norm > 0) torch::nn::utils::clip_grad_norm_(model->parameters(), max_norm);
    optimizer->step();
  }
  const models::TensorMap expected = models::read_safetensors(dir / "expected.safetensors").tensors;
  double worst = 0;
  for (const auto& item : model->named_parameters()) {
    const double difference = testing::max_abs_diff(item.value().detach(), expected.at(item.key()));
    EXPECT_LE(difference, 1e-6) << item.key();
    worst = std::max(worst, difference);
  }
  std::printf("AdamW, %d steps%s: max |Δ| of the weights %.2e\n", kSteps,
              max_norm > 0 ? " with clipping" : "", worst);
}

TEST(OptimizerOracle, AdamWStepsMatchPyTorch) { expect_adamw_matches_pytorch(0.0); }

TEST(OptimizerOracle, AdamWWithGradientClippingMatchesPyTorch) {
  expect_adamw_matches_pytorch(1.0);
}

}  // namespace
}  // namespace chorus
