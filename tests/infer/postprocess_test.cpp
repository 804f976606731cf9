// Post-processing steps on hand-computed examples.

#include "infer/postprocess.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"

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
  infer::apply_activation(sig, "sigmoid");
  EXPECT_FLOAT_EQ(sig.values[0], 0.5f);
  EXPECT_FLOAT_EQ(sig.values[1], 0.75f);
  EXPECT_FLOAT_EQ(sig.values[2], 0.25f);
  auto soft = s;
  infer::apply_activation(soft, "softmax");  // e^0 : 3 : 1/3 → 3/13, 9/13, 1/13
  EXPECT_NEAR(soft.values[0], 3.0 / 13, 1e-6);
  EXPECT_NEAR(soft.values[1], 9.0 / 13, 1e-6);
  EXPECT_THROW(infer::apply_activation(s, "tanh"), ConfigError);
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
  c.activation = "none";
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

TEST(Postprocess, DetectionsThresholdAndTopK) {
  infer::ScoreMatrix s(2, 3);
  s.values = {0.9f, 0.6f, 0.7f, 0.1f, 0.5f, 0.2f};
  const auto d = infer::detections(s, 0.5, 2);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].cls, 0u);  // row 0: 0.9, 0.7 (0.6 dropped by top-2)
  EXPECT_EQ(d[1].cls, 2u);
  EXPECT_EQ(d[2].row, 1u);  // row 1: 0.5 ≥ threshold
  infer::PostprocessConfig bad;
  bad.smoothing = "0.5,0.5";
  EXPECT_THROW(bad.validate(), ConfigError);
}

}  // namespace
}  // namespace chorus
