// AdamW with timm's parameter groups against torch.optim.AdamW (tests/oracles/adamw_oracle.py):
// the same weights and gradients, five steps, with and without torch's clip_grad_norm_.

#include <gtest/gtest.h>
#include <torch/nn/utils/clip_grad.h>

#include <algorithm>
#include <cstdio>

#include "models/npy_tensor.hpp"
#include "models/safetensors.hpp"
#include "models/state_dict.hpp"
#include "support/test_support.hpp"
#include "train/optimizer.hpp"
#include "train/tiny_net.hpp"

namespace chorus {
namespace {

constexpr int kSteps = 5;

void expect_adamw_matches_pytorch(double max_norm) {
  train::TrainConfig c;
  c.lr = 0.01;
  c.weight_decay = 0.05;
  testing::TempDir dir;
  testing::run_oracle("adamw_oracle.py", {dir.path().string(), fmt::format("{}", c.lr),
                                          fmt::format("{}", c.weight_decay), std::to_string(kSteps),
                                          fmt::format("{}", max_norm)});
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
