// The [pseudo] transforms against rows computed by hand, in their documented order.

#include "infer/pseudo_labels.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace chorus {
namespace {

std::vector<float> transformed(std::vector<float> p, const infer::PseudoConfig& config) {
  infer::transform_pseudo_row(p, config);
  return p;
}

void expect_row(const std::vector<float>& got, const std::vector<float>& want) {
  ASSERT_EQ(got.size(), want.size());
  // Values ≤ 1 computed in float: a few ulps of 1.
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-6) << i;
}

TEST(PseudoLabels, TransformsApplyInOrder) {
  infer::PseudoConfig c;
  expect_row(transformed({0.81f, 0.36f, 0.04f, 0.01f}, c), {0.81f, 0.36f, 0.04f, 0.01f});
  c.temperature = 0.5;  // p^2
  expect_row(transformed({0.81f, 0.36f, 0.04f, 0.01f}, c), {0.6561f, 0.1296f, 0.0016f, 0.0001f});
  c.floor = 0.01;
  expect_row(transformed({0.81f, 0.36f, 0.04f, 0.01f}, c), {0.6561f, 0.1296f, 0, 0});
  c.top_k = 1;
  expect_row(transformed({0.81f, 0.36f, 0.04f, 0.01f}, c), {0.6561f, 0, 0, 0});
  c.row_cap = 0.5;
  expect_row(transformed({0.81f, 0.36f, 0.04f, 0.01f}, c), {0.5f, 0, 0, 0});
}

TEST(PseudoLabels, TopKKeepsTiesInClassOrderAndCapScalesTheRow) {
  infer::PseudoConfig c;
  c.top_k = 2;
  expect_row(transformed({0.3f, 0.5f, 0.3f, 0.3f}, c), {0.3f, 0.5f, 0, 0});
  c.row_cap = 0.75;  // 0.6 + 0.5 = 1.1 → × 0.75 / 1.1
  expect_row(transformed({0.6f, 0.5f, 0.4f}, c), {0.6f * 0.75f / 1.1f, 0.5f * 0.75f / 1.1f, 0});
  expect_row(transformed({0.3f, 0.2f, 0.1f}, c), {0.3f, 0.2f, 0});  // sum under the cap
}

TEST(PseudoLabels, UnconfidentChunksAreDropped) {
  infer::PseudoConfig c;
  c.min_confidence = 0.5;
  infer::RecordingScores r;
  r.path = "rec.ogg";
  r.sample_rate = 10;
  r.duration_seconds = 15;
  r.chunks = {{{0, 50}, "rec_5", {}}, {{50, 100}, "rec_10", {}}, {{100, 150}, "rec_15", {}}};
  r.scores = infer::ScoreMatrix(3, 2);
  r.scores.values = {0.4f, 0.3f, 0.5f, 0.1f, 0.2f, 0.9f};
  formats::PseudoTable table;
  table.classes = {"a", "b"};
  infer::append_pseudo_rows(r, c, table);
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].start_seconds, 5);
  EXPECT_EQ(table.rows[0].end_seconds, 10);
  EXPECT_EQ(table.rows[0].probabilities, (std::vector<float>{0.5f, 0.1f}));
  EXPECT_EQ(table.rows[1].start_seconds, 10);
  EXPECT_EQ(table.rows[1].recording, "rec.ogg");
}

TEST(PseudoLabels, SettingsOutsideTheirRangeAreRefused) {
  infer::PseudoConfig c;
  c.temperature = 0;
  EXPECT_EQ(testing::error_message([&] { c.validate(); }), "pseudo.temperature = 0: expected > 0");
  c = {};
  c.floor = 2;
  EXPECT_EQ(testing::error_message([&] { c.validate(); }), "pseudo.floor = 2: expected 0..1");
}

}  // namespace
}  // namespace chorus
