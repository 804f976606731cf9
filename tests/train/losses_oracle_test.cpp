// Every training loss and its gradient against PyTorch (tests/oracles/losses_oracle.py): the
// same inputs, with and without a mask, class weights and sample weights.

#include <gtest/gtest.h>
#include <torch/types.h>

#include <algorithm>
#include <cstdio>

#include "models/npy_tensor.hpp"
#include "models/safetensors.hpp"
#include "support/test_support.hpp"
#include "train/losses.hpp"

namespace chorus {
namespace {

struct Case {
  std::string name;  // the oracle's name of the case
  train::TrainConfig config;
};

std::vector<Case> logit_cases() {
  const auto with = [](std::string loss, double alpha = 0.25) {
    train::TrainConfig c;
    c.loss = core::enum_from_name<train::LossKind>(loss).value();
    c.focal_gamma = 2.0;
    c.focal_alpha = alpha;
    c.lsoft_beta = 0.7;
    return c;
  };
  return {{"ce", with("ce")},
          {"bce", with("bce")},
          {"focal", with("focal")},
          {"focal_no_alpha", with("focal", -1.0)},
          {"masked_bce", with("masked_bce")},
          {"lsoft", with("lsoft")},
          {"lsep", with("lsep")}};
}

TEST(LossesOracle, LossesAndGradientsMatchPyTorch) {
  testing::TempDir dir;
  testing::run_oracle("losses_oracle.py", {dir.path().string()});
  const models::TensorMap inputs = models::read_safetensors(dir / "inputs.safetensors").tensors;
  const models::TensorMap expected = models::read_safetensors(dir / "expected.safetensors").tensors;
  const std::vector<std::string> variants{"plain", "mask", "weights", "all"};
  const auto inputs_for = [&](const std::string& variant) {
    train::LossInputs in;
    in.targets = inputs.at("targets");
    if (variant == "mask" || variant == "all") in.mask = inputs.at("mask");
    if (variant == "weights" || variant == "all") in.sample_weights = inputs.at("sample_weights");
    return in;
  };
  const auto class_weights_for = [&](const std::string& variant) {
    return variant == "weights" || variant == "all" ? inputs.at("class_weights") : torch::Tensor();
  };
  double worst = 0;
  const auto expect_close = [&](const torch::Tensor& got, const std::string& key) {
    const double difference = testing::max_abs_diff(got, expected.at(key).view(got.sizes()));
    EXPECT_LE(difference, 1e-5) << key;
    worst = std::max(worst, difference);
  };

  for (const std::string& variant : variants) {
    for (const Case& c : logit_cases()) {
      const std::string key = c.name + "." + variant;
      train::LossInputs in = inputs_for(variant);
      in.logits = inputs.at("logits").clone().requires_grad_(true);
      const auto loss = train::make_loss(c.config, class_weights_for(variant));
      EXPECT_EQ(loss->name(), core::enum_name(c.config.loss));
      const torch::Tensor value = (*loss)(in);
      ASSERT_EQ(value.dim(), 0) << key;
      value.backward();
      expect_close(value.detach(), key + ".loss");
      expect_close(in.logits.grad(), key + ".grad_logits");
    }
    train::TrainConfig sed;
    sed.loss = train::LossKind::sed;
    sed.sed_frame_weight = 0.5;
    const std::string key = "sed." + variant;
    train::LossInputs in = inputs_for(variant);
    in.clip_probabilities = inputs.at("clip_probabilities").clone().requires_grad_(true);
    in.frame_probabilities = inputs.at("frame_probabilities").clone().requires_grad_(true);
    const torch::Tensor value = (*train::make_loss(sed, class_weights_for(variant)))(in);
    value.backward();
    expect_close(value.detach(), key + ".loss");
    expect_close(in.clip_probabilities.grad(), key + ".grad_clip");
    expect_close(in.frame_probabilities.grad(), key + ".grad_frames");
  }
  std::printf("losses: max |Δ| of losses and gradients %.2e over %zu values\n", worst,
              expected.size());
}

}  // namespace
}  // namespace chorus
