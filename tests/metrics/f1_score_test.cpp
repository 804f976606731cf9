// F1 by hand on a 2 × 3 matrix, and the threshold sweep.

#include "metrics/f1_score.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
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

TEST(F1ThresholdCandidates, AreTheDistinctKnownScoresAscending) {
  EXPECT_EQ(f1_threshold_candidates(example()), (std::vector<double>{0.2, 0.4, 0.5, 0.6, 0.9}));
  // Row 0 class 0 (0.9) unknown: it is no threshold of any known cell.
  const auto masked =
      labelled({{0.9, 0.5, 0.2}, {0.4, 0.6, 0.5}}, {{1, 0, 0}, {1, 1, 0}}, {{0, 1, 1}, {1, 1, 1}});
  EXPECT_EQ(f1_threshold_candidates(masked), (std::vector<double>{0.2, 0.4, 0.5, 0.6}));
}

TEST(F1ThresholdCandidates, ManyScoresThinEvenlyInRankKeepingTheEnds) {
  const auto data = labelled({{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}}, {{1, 0, 1, 0, 1, 0, 1}});
  EXPECT_EQ(f1_threshold_candidates(data, 3), (std::vector<double>{0.1, 0.4, 0.7}));
  EXPECT_EQ(f1_threshold_candidates(data, 4), (std::vector<double>{0.1, 0.3, 0.5, 0.7}));
}

TEST(F1ThresholdCandidates, HoldTheBestThresholdOfAnyGrid) {
  // F1 only changes at scores, so no finer grid can beat the candidates.
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<double> scores(60 * 5), truth(60 * 5);
  for (std::size_t i = 0; i < scores.size(); ++i) {
    truth[i] = uniform(rng) < 0.3 ? 1.0 : 0.0;
    scores[i] = std::round((0.5 * uniform(rng) + 0.4 * truth[i]) * 1000) / 1000;
  }
  const LabelledScores data(MatrixView(scores, 60, 5), MatrixView(truth, 60, 5));
  std::vector<double> grid;
  for (int i = 0; i <= 1000; ++i) grid.push_back(i / 1000.0);
  for (const F1Average average : {F1Average::micro, F1Average::macro}) {
    const double best = best_f1_threshold(data, f1_threshold_candidates(data), average).f1;
    EXPECT_DOUBLE_EQ(best, best_f1_threshold(data, grid, average).f1);
  }
}

}  // namespace
}  // namespace chorus::metrics
