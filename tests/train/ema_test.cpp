// The weight EMA on values worked out by hand.

#include "train/ema.hpp"

#include <gtest/gtest.h>

#include "models/state_dict.hpp"
#include "support/test_support.hpp"
#include "train/tiny_net.hpp"

namespace chorus {
namespace {

void fill(testing::TinyNet& model, float value, std::int64_t batches) {
  torch::NoGradGuard no_grad;
  for (auto& [name, tensor] : models::state_dict(*model)) {
    if (tensor.is_floating_point()) tensor.fill_(value);
  }
  model->norm->num_batches_tracked.fill_(batches);
}

TEST(ModelEma, AveragesParametersAndBuffersAndCopiesIntegers) {
  testing::TinyNet model;
  fill(model, 1.0f, 3);
  train::ModelEma ema(*model, 0.9);
  fill(model, 3.0f, 4);
  ema.update(*model);  // 0.9·1 + 0.1·3 = 1.2
  fill(model, 5.0f, 5);
  ema.update(*model);  // 0.9·1.2 + 0.1·5 = 1.58
  const models::TensorMap average = ema.state();
  EXPECT_NEAR(average.at("fc.weight")[0][1].item<double>(), 1.58, 1e-6);
  EXPECT_NEAR(average.at("conv.bias")[2].item<double>(), 1.58, 1e-6);
  EXPECT_NEAR(average.at("norm.running_var")[0].item<double>(), 1.58, 1e-6);  // buffers too
  EXPECT_EQ(average.at("norm.num_batches_tracked").item<std::int64_t>(), 5);  // copied

  testing::TinyNet other;
  ema.copy_to(*other);
  EXPECT_NEAR(other->fc->weight[1][2].item<double>(), 1.58, 1e-6);
  EXPECT_EQ(other->norm->num_batches_tracked.item<std::int64_t>(), 5);
  EXPECT_NEAR(model->fc->weight[0][0].item<double>(), 5.0, 0);  // the trained weights untouched
}

TEST(ModelEma, StateRoundTripsAndContinuesAlike) {
  testing::TinyNet model;
  train::ModelEma ema(*model, 0.99);
  fill(model, 2.0f, 1);
  ema.update(*model);
  testing::TinyNet fresh;
  train::ModelEma resumed(*fresh, 0.99);
  resumed.load_state(ema.state());
  ema.update(*model);
  resumed.update(*model);
  for (const auto& [name, tensor] : ema.state())
    EXPECT_TRUE(torch::equal(tensor, resumed.state().at(name))) << name;
}

TEST(ModelEma, OtherTensorsAreErrors) {
  testing::TinyNet model;
  train::ModelEma ema(*model, 0.9);
  models::TensorMap state = ema.state();
  state.erase("fc.bias");
  state["fc.weight"] = torch::zeros({5});
  const std::string message = testing::error_message([&] { ema.load_state(state); });
  EXPECT_NE(message.find("fc.bias"), std::string::npos) << message;
  EXPECT_NE(message.find("fc.weight"), std::string::npos) << message;
  torch::nn::Linear linear(3, 2);
  EXPECT_THROW(ema.update(*linear), ModelError);
  EXPECT_THROW(train::ModelEma(*model, 1.0), ConfigError);
}

}  // namespace
}  // namespace chorus
