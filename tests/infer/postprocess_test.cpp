// Post-processing steps on hand-computed examples.

#include "infer/postprocess.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/config_fields.hpp"
#include "core/error.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

infer::ScoreMatrix column(std::vector<float> v) {
  infer::ScoreMatrix s(v.size(), 1);
  s.values = std::move(v);
  return s;
}

TEST(Postprocess, Activations) {
  infer::ScoreMatrix s(1, 3);
  s.values = {0.0f, std::log(3.0f), -std::log(3.0f)};
  auto sig = s;
  infer::apply_activation(sig, infer::Activation::sigmoid);
  EXPECT_FLOAT_EQ(sig.values[0], 0.5f);
  EXPECT_FLOAT_EQ(sig.values[1], 0.75f);
  EXPECT_FLOAT_EQ(sig.values[2], 0.25f);
  auto soft = s;
  infer::apply_activation(soft, infer::Activation::softmax);  // e^0 : 3 : 1/3 → 3/13, 9/13, 1/13
  EXPECT_NEAR(soft.values[0], 3.0 / 13, 1e-6);
  EXPECT_NEAR(soft.values[1], 9.0 / 13, 1e-6);
  auto none = s;
  infer::apply_activation(none, infer::Activation::none);
  EXPECT_EQ(none.values, s.values);
}

// A choice is an enum in the program and a name in files: read by name, checked against the
// names once, written back by name.
TEST(Postprocess, ActivationIsReadAndWrittenByName) {
  infer::PostprocessConfig c;
  core::ConfigFields fields("postprocess");
  c.register_fields(fields);
  fields.set("activation", "\"softmax\"", "test.toml:3");
  EXPECT_EQ(c.activation, infer::Activation::softmax);
  EXPECT_NE(fields.to_toml().find("activation = \"softmax\"\n"), std::string::npos);
  EXPECT_EQ(testing::error_message([&] { fields.set("activation", "tanh", "--set"); }),
            "--set: postprocess.activation = 'tanh' is not one of: sigmoid, softmax, none");
  EXPECT_EQ(c.activation, infer::Activation::softmax);  // unchanged by the rejected value
}

TEST(Postprocess, NeighbourSmoothingRenormalisesAtTheEdges) {
  auto s = column({1, 0, 0, 1});
  const std::vector<double> w = {0.25, 0.5, 0.25};
  infer::smooth_over_time(s, w);
  // row 0: (0.5·1 + 0.25·0) / 0.75 = 2/3; row 1: 0.25·1 + 0.5·0 + 0.25·0 = 0.25
  EXPECT_NEAR(s.values[0], 2.0 / 3, 1e-6);
  EXPECT_NEAR(s.values[1], 0.25, 1e-6);
  EXPECT_NEAR(s.values[2], 0.25, 1e-6);
  EXPECT_NEAR(s.values[3], 2.0 / 3, 1e-6);
}

TEST(Postprocess, MovingAverageIsEqualWeights) {
  auto s = column({3, 0, 0, 0, 6});
  infer::PostprocessConfig c;
  c.activation = infer::Activation::none;
  c.moving_average = 3;
  infer::postprocess(s, c, {});
  EXPECT_EQ(s.values, (std::vector<float>{1.5f, 1.0f, 0.0f, 2.0f, 3.0f}));
}

TEST(Postprocess, OddsScaling) {
  auto s = column({0.5f, 0.2f});
  const std::vector<double> factor = {3.0};
  infer::scale_odds(s, factor);  // odds 1 → 3: p = 0.75; odds 0.25 → 0.75: p = 3/7
  EXPECT_NEAR(s.values[0], 0.75, 1e-6);
  EXPECT_NEAR(s.values[1], 3.0 / 7, 1e-6);
}

TEST(Postprocess, SmoothingNeedsAnOddNumberOfWeights) {
  infer::PostprocessConfig bad;
  bad.smoothing = "0.5,0.5";
  EXPECT_THROW(bad.validate(), ConfigError);
}

}  // namespace
}  // namespace chorus
