// F1 by hand on a 2 × 3 matrix, and the threshold sweep.

#include "metrics/f1_score.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "small_matrices.hpp"

namespace chorus::metrics {
namespace {

using test_support::labelled;

// At threshold 0.5 (score ≥ 0.5 is positive) the predictions are
//   row 0: 1 1 0     truth: 1 0 0
//   row 1: 0 1 1            1 1 0
// class 0: tp 1, fn 1      → F1 = 2/(2+1) = 2/3
// class 1: tp 1, fp 1      → 2/3
// class 2: fp 1            → 0
// pooled:  tp 2, fp 2, fn 1 → 4/7
LabelledScores example() {
  return labelled({{0.9, 0.5, 0.2}, {0.4, 0.6, 0.5}}, {{1, 0, 0}, {1, 1, 0}});
}

TEST(F1Score, MicroPoolsEveryCell) {
  EXPECT_DOUBLE_EQ(f1_score(example(), 0.5, F1Average::micro), 4.0 / 7.0);
}

TEST(F1Score, MacroAveragesEveryClass) {
  EXPECT_DOUBLE_EQ(f1_score(example(), 0.5, F1Average::macro), (2.0 / 3 + 2.0 / 3 + 0) / 3);
}

TEST(F1Score, ScoreEqualToThresholdIsPositive) {
  // Just above 0.5, the cells scoring exactly 0.5 turn negative: row 0 class 1 (fp) and row 1
  // class 2 (fp) → tp 2, fp 0, fn 1 → 4/5.
  EXPECT_DOUBLE_EQ(f1_score(example(), 0.500001, F1Average::micro), 4.0 / 5.0);
}

TEST(F1Score, NothingTrueNothingPredictedIsZero) {
  // zero_division=0: precision and recall are both 0/0 → F1 0.
  const auto data = labelled({{0.1, 0.2}}, {{0, 0}});
  EXPECT_DOUBLE_EQ(f1_score(data, 0.5, F1Average::micro), 0.0);
  EXPECT_DOUBLE_EQ(f1_score(data, 0.5, F1Average::macro), 0.0);
}

TEST(F1Score, MaskedCellsAreNotCounted) {
  // Row 1 class 2 (a false positive at 0.5) unknown: pooled tp 2, fp 1, fn 1 → 4/6.
  const auto data =
      labelled({{0.9, 0.5, 0.2}, {0.4, 0.6, 0.5}}, {{1, 0, 0}, {1, 1, 0}}, {{1, 1, 1}, {1, 1, 0}});
  EXPECT_DOUBLE_EQ(f1_score(data, 0.5, F1Average::micro), 4.0 / 6.0);
}

TEST(BestF1Threshold, FindsTheBestCandidate) {
  // At 0.3 every cell but row 0 class 2 is predicted positive:
  //   pooled tp 3, fp 2, fn 0 → 6/8 = 3/4 (better than 4/7 at 0.5 and 0 at 0.95).
  //   class 0: tp 2 → 1; class 1: tp 1 fp 1 → 2/3; class 2: fp 1 → 0; macro 5/9 (> 4/9).
  const std::vector<double> thresholds{0.95, 0.5, 0.3};
  const auto micro = best_f1_threshold(example(), thresholds, F1Average::micro);
  EXPECT_DOUBLE_EQ(micro.threshold, 0.3);
  EXPECT_DOUBLE_EQ(micro.f1, 3.0 / 4.0);
  const auto macro = best_f1_threshold(example(), thresholds, F1Average::macro);
  EXPECT_DOUBLE_EQ(macro.threshold, 0.3);
  EXPECT_DOUBLE_EQ(macro.f1, 5.0 / 9.0);
}

TEST(BestF1Threshold, TieGoesToTheLowestThreshold) {
  // Every score is ≥ 0.2, so 0.15 and 0.1 predict the same cells and score the same F1.
  const std::vector<double> thresholds{0.15, 0.1};
  EXPECT_DOUBLE_EQ(best_f1_threshold(example(), thresholds, F1Average::micro).threshold, 0.1);
}

}  // namespace
}  // namespace chorus::metrics
