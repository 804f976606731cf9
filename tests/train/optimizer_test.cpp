// make_optimizer's parameter groups and the optimizer state's round trip through named tensors.

#include "train/optimizer.hpp"

#include <gtest/gtest.h>

#include "models/safetensors.hpp"
#include "models/state_dict.hpp"
#include "support/test_support.hpp"
#include "train/tiny_net.hpp"

namespace chorus {
namespace {

train::TrainConfig adamw_config() {
  train::TrainConfig c;
  c.lr = 0.01;
  c.weight_decay = 0.05;
  return c;
}

// Gradients that depend on the step and the parameter, so every step differs.
void set_gradients(testing::TinyNet& model, int step) {
  int k = 0;
  for (auto& p : model->parameters())
    p.mutable_grad() =
        torch::sin(torch::arange(p.numel(), torch::kFloat32) + (step * 7 + k++)).view(p.sizes());
}

TEST(Optimizer, WeightsDecayBiasesAndNormsDoNot) {
  testing::TinyNet model;
  const auto optimizer = train::make_optimizer(*model, adamw_config());
  ASSERT_EQ(optimizer->param_groups().size(), 2u);
  const auto weight_decay = [&](std::size_t g) {
    return static_cast<const torch::optim::AdamWOptions&>(optimizer->param_groups()[g].options())
        .weight_decay();
  };
  EXPECT_EQ(weight_decay(0), 0.0);
  EXPECT_EQ(weight_decay(1), 0.05);
  const auto& no_decay = optimizer->param_groups()[0].params();
  const auto& decay = optimizer->param_groups()[1].params();
  ASSERT_EQ(no_decay.size(), 4u);  // conv.bias, norm.weight, norm.bias, fc.bias
  ASSERT_EQ(decay.size(), 2u);     // conv.weight, fc.weight
  EXPECT_TRUE(decay[0].is_same(model->conv->weight));
  EXPECT_TRUE(decay[1].is_same(model->fc->weight));
  for (const auto& p : no_decay) EXPECT_EQ(p.dim(), 1);

  model->fc->weight.requires_grad_(false);  // frozen: left out
  EXPECT_EQ(train::make_optimizer(*model, adamw_config())->param_groups()[1].params().size(), 1u);
}

TEST(Optimizer, SaveLoadContinueEqualsUninterruptedSteps) {
  torch::manual_seed(5);
  testing::TinyNet reference, resumed;
  models::load_state_dict(*resumed, models::state_dict(*reference));
  const auto uninterrupted = train::make_optimizer(*reference, adamw_config());
  for (int step = 0; step < 3; ++step) {
    set_gradients(reference, step);
    uninterrupted->step();
  }
  // Through a safetensors file, as a checkpoint holds it.
  testing::TempDir dir;
  models::write_safetensors(dir / "optimizer.safetensors",
                            train::optimizer_state(*uninterrupted, *reference));
  const models::TensorMap state = models::read_safetensors(dir / "optimizer.safetensors").tensors;
  EXPECT_EQ(state.size(), 6u * 3u);
  EXPECT_EQ(state.at("fc.weight.step").item<std::int64_t>(), 3);
  EXPECT_EQ(state.at("conv.weight.exp_avg").sizes(), reference->conv->weight.sizes());

  models::load_state_dict(*resumed, models::state_dict(*reference));
  const auto continued = train::make_optimizer(*resumed, adamw_config());
  train::load_optimizer_state(*continued, *resumed, state);
  for (int step = 3; step < 6; ++step) {
    set_gradients(reference, step);
    uninterrupted->step();
    set_gradients(resumed, step);
    continued->step();
  }
  for (const auto& [name, tensor] : models::state_dict(*reference))
    EXPECT_TRUE(torch::equal(tensor, models::state_dict(*resumed).at(name))) << name;
}

TEST(Optimizer, StateOfAnotherModelIsRefusedWithTheKeys) {
  testing::TinyNet model;
  const auto optimizer = train::make_optimizer(*model, adamw_config());
  set_gradients(model, 0);
  optimizer->step();
  models::TensorMap state = train::optimizer_state(*optimizer, *model);
  EXPECT_TRUE(
      train::optimizer_state(*train::make_optimizer(*model, adamw_config()), *model).empty());

  models::TensorMap bad = state;
  bad.erase("fc.bias.exp_avg_sq");
  bad["fc.weight.exp_avg"] = torch::zeros({7});
  bad["head.weight.step"] = torch::ones({1}, torch::kInt64);
  const std::string message =
      testing::error_message([&] { train::load_optimizer_state(*optimizer, *model, bad); });
  EXPECT_EQ(message,
            "optimizer state does not fit the model: "
            "fc.weight: moments [7] / [2, 3] and step [1] for a parameter [2, 3]; "
            "fc.bias: incomplete (needs .exp_avg, .exp_avg_sq and .step); "
            "head.weight.step: names no parameter the optimizer updates");
}

}  // namespace
}  // namespace chorus
