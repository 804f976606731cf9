// Average precision and padded cmAP on examples small enough to walk by hand:
// AP = Σ over distinct thresholds, highest first, of (new positives / all positives) · precision.

#include "metrics/average_precision.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "metrics/class_metrics.hpp"
#include "small_matrices.hpp"

namespace chorus::metrics {
namespace {

using test_support::labelled;

// sklearn's documentation example: truth 0 0 1 1, scores 0.1 0.4 0.35 0.8.
LabelledScores documentation_example() {
  return labelled({{0.1}, {0.4}, {0.35}, {0.8}}, {{0}, {0}, {1}, {1}});
}

TEST(AveragePrecision, SklearnDocumentationExample) {
  // Thresholds 0.8: tp 1 fp 0, P = 1, ΔR = 1/2
  //            0.4: tp 1 fp 1, ΔR = 0
  //            0.35: tp 2 fp 1, P = 2/3, ΔR = 1/2
  // AP = 1/2 · 1 + 1/2 · 2/3 = 5/6.
  const auto data = documentation_example();
  EXPECT_DOUBLE_EQ(per_class_metrics(data).front().average_precision, 5.0 / 6.0);
  EXPECT_DOUBLE_EQ(padded_cmap(data, 0), 5.0 / 6.0);
}

TEST(AveragePrecision, PaddingRowsRankAtScoreOne) {
  // Five rows (score 1, truth 1) appended: 7 positives.
  // Thresholds 1: tp 5, P = 1, ΔR = 5/7;  0.8: tp 6 fp 0, P = 1, ΔR = 1/7;
  //            0.4: ΔR = 0;  0.35: tp 7 fp 1, P = 7/8, ΔR = 1/7.
  // AP = 5/7 + 1/7 + 1/7 · 7/8 = 6/7 + 1/8 = 55/56.
  const auto data = documentation_example();
  EXPECT_DOUBLE_EQ(padded_cmap(data), 55.0 / 56.0);
}

TEST(AveragePrecision, PaddingTiesWithRowsScoringExactlyOne) {
  // Scores 1.0 (negative), 1.0 (positive), 0.5 (positive), one padding row: 3 positives.
  // Threshold 1: padding + both rows → tp 2 fp 1, P = 2/3, ΔR = 2/3;
  //           0.5: tp 3 fp 1, P = 3/4, ΔR = 1/3.
  // AP = 4/9 + 1/4 = 25/36. (Padding ranked above the rows at 1 would give 29/36, below them
  // 23/36.)
  const auto data = labelled({{1.0}, {1.0}, {0.5}}, {{0}, {1}, {1}});
  EXPECT_DOUBLE_EQ(padded_cmap(data, 1), 25.0 / 36.0);
}

TEST(AveragePrecision, PaddingRanksBelowLogitsAboveOne) {
  // Scores 2.0 (positive), 1.5 (negative), padding at 1, 0.5 (negative); 2 positives.
  // 2.0: tp 1, P = 1, ΔR = 1/2;  1.5: ΔR = 0;  1.0: tp 2 fp 1, P = 2/3, ΔR = 1/2.
  // AP = 1/2 + 1/3 = 5/6 (padding first would give 1).
  const auto data = labelled({{2.0}, {1.5}, {0.5}}, {{1}, {0}, {0}});
  EXPECT_DOUBLE_EQ(padded_cmap(data, 1), 5.0 / 6.0);
}

TEST(AveragePrecision, TiedPositivesAndNegativesEnterTogether) {
  // All four rows tie: one threshold, tp 2 fp 2, P = 1/2, ΔR = 1 → AP = 1/2, whatever order
  // a sort leaves them in.
  const auto data = labelled({{0.3}, {0.3}, {0.3}, {0.3}}, {{1}, {0}, {1}, {0}});
  EXPECT_DOUBLE_EQ(padded_cmap(data, 0), 0.5);
}

TEST(AveragePrecision, UnpaddedMacroCountsClassWithoutPositivesAsZero) {
  // Column 0: the documentation example, 5/6. Column 1: no positive; sklearn 1.2 sets its
  // recall to 1 at every threshold, so its AP is 0. Macro: (5/6 + 0) / 2 = 5/12.
  const auto data =
      labelled({{0.1, 0.2}, {0.4, 0.1}, {0.35, 0.3}, {0.8, 0.4}}, {{0, 0}, {0, 0}, {1, 0}, {1, 0}});
  EXPECT_DOUBLE_EQ(padded_cmap(data, 0), 5.0 / 12.0);
  EXPECT_TRUE(std::isnan(per_class_metrics(data, 0)[1].average_precision));
  // Padded, the class has positives: 5 padding rows at threshold 1 come first → AP 1.
  EXPECT_DOUBLE_EQ(per_class_metrics(data)[1].padded_average_precision, 1.0);
}

TEST(ClassMetrics, CountsAndUndefinedValuesPerClass) {
  // Column 0 has both classes, column 1 only negatives, column 2 only positives.
  const auto data = labelled({{0.9, 0.1, 0.4}, {0.2, 0.3, 0.6}}, {{1, 0, 1}, {0, 0, 1}});
  const auto report = per_class_metrics(data);
  ASSERT_EQ(report.size(), 3u);
  EXPECT_EQ(report[0].positives, 1u);
  EXPECT_EQ(report[0].negatives, 1u);
  EXPECT_DOUBLE_EQ(report[0].roc_auc, 1.0);
  EXPECT_DOUBLE_EQ(report[0].average_precision, 1.0);
  EXPECT_TRUE(std::isnan(report[1].roc_auc));
  EXPECT_TRUE(std::isnan(report[1].average_precision));
  EXPECT_TRUE(std::isnan(report[2].roc_auc));
  EXPECT_DOUBLE_EQ(report[2].average_precision, 1.0);
}

TEST(ClassMetrics, MaskedCellsLeaveTheirClass) {
  // Column 0's negative scoring 0.8 is unknown: the positive is ranked first → AP 1, AUC 1.
  const auto data = labelled({{0.8}, {0.6}, {0.1}}, {{0}, {1}, {0}}, {{0}, {1}, {1}});
  const auto report = per_class_metrics(data);
  EXPECT_EQ(report[0].negatives, 1u);
  EXPECT_DOUBLE_EQ(report[0].average_precision, 1.0);
  EXPECT_DOUBLE_EQ(report[0].roc_auc, 1.0);
}

}  // namespace
}  // namespace chorus::metrics
