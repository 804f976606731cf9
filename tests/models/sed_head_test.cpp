// The SED head's invariants: shapes, attention that sums to one over time, dropout only in
// training.

#include "models/sed_head.hpp"

#include <gtest/gtest.h>
#include <torch/types.h>

namespace chorus {
namespace {

TEST(SedHead, ShapesAndAttentionOverTime) {
  torch::manual_seed(0);
  models::SedHead head(16, 3, 0.5);
  head->eval();
  const models::SedOutput out = head(torch::randn({2, 16, 4, 10}));
  EXPECT_EQ(out.clip_logits.sizes(), (torch::IntArrayRef{2, 3}));
  EXPECT_EQ(out.clip_probabilities.sizes(), (torch::IntArrayRef{2, 3}));
  EXPECT_EQ(out.frame_probabilities.sizes(), (torch::IntArrayRef{2, 10, 3}));
  EXPECT_TRUE(torch::allclose(out.attention.sum(2), torch::ones({2, 3})));
  // A weighted mean of frame probabilities lies between their extremes.
  const torch::Tensor frames = out.frame_probabilities.transpose(1, 2);
  EXPECT_TRUE((out.clip_probabilities <= std::get<0>(frames.max(2)) + 1e-6).all().item<bool>());
  EXPECT_TRUE((out.clip_probabilities >= std::get<0>(frames.min(2)) - 1e-6).all().item<bool>());
}

TEST(SedHead, DropoutIsActiveOnlyInTraining) {
  torch::manual_seed(0);
  models::SedHead head(16, 3, 0.5);
  const torch::Tensor features = torch::randn({1, 16, 2, 8});
  head->eval();
  EXPECT_TRUE(torch::equal(head(features).clip_logits, head(features).clip_logits));
  head->train();
  EXPECT_FALSE(torch::equal(head(features).clip_logits, head(features).clip_logits));
}

}  // namespace
}  // namespace chorus
