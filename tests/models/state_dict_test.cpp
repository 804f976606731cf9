// Loading weights into a module: the report names every missing, unexpected and mis-shaped key,
// and nothing is copied when the weights do not fit.

#include "models/state_dict.hpp"

#include <gtest/gtest.h>
#include <torch/nn/modules/linear.h>
#include <torch/types.h>

#include "support/test_support.hpp"

namespace chorus {
namespace {

TEST(StateDict, LoadsMatchingWeightsAndListsUnexpectedOnes) {
  torch::nn::Linear linear(3, 2);
  models::TensorMap weights{{"weight", torch::ones({2, 3})},
                            {"bias", torch::full({2}, 0.5f)},
                            {"extra", torch::zeros({1})}};
  const models::StateDictReport report = models::load_state_dict(*linear, weights);
  EXPECT_EQ(report.unexpected, std::vector<std::string>{"extra"});
  EXPECT_TRUE(torch::equal(linear->weight, torch::ones({2, 3})));
  EXPECT_TRUE(torch::equal(linear->bias, torch::full({2}, 0.5f)));
}

TEST(StateDict, MissingAndMisShapedKeysAreAnErrorNamingThemAll) {
  torch::nn::Linear linear(3, 2);
  const torch::Tensor before = linear->weight.detach().clone();
  const models::TensorMap weights{{"weight", torch::ones({2, 4})}, {"extra", torch::zeros({1})}};
  EXPECT_EQ(testing::error_message([&] { models::load_state_dict(*linear, weights, "w.pt"); }),
            "w.pt: weights do not fit the model: 1 missing key: bias; 1 mis-shaped key: weight: "
            "file [2, 4] vs model [2, 3]; 1 unexpected key: extra");
  EXPECT_TRUE(torch::equal(linear->weight, before));
}

TEST(StateDict, NamesParametersAndBuffersAsPyTorchDoes) {
  torch::nn::Linear linear(3, 2);
  const models::TensorMap tensors = models::state_dict(*linear);
  ASSERT_EQ(tensors.size(), 2u);
  EXPECT_TRUE(tensors.contains("weight"));
  EXPECT_TRUE(tensors.contains("bias"));
}

}  // namespace
}  // namespace chorus
