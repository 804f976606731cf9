// ROC-AUC on examples small enough to count by hand: AUC = the fraction of (positive, negative)
// pairs ordered correctly, a tie counting one half (what sklearn's trapezoids amount to).

#include "metrics/roc_auc.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "small_matrices.hpp"

namespace chorus::metrics {
namespace {

using test_support::labelled;

TEST(RocAuc, SklearnDocumentationExample) {
  // positives score 0.35, 0.8; negatives 0.1, 0.4.
  // Pairs: 0.35>0.1 yes, 0.35>0.4 no, 0.8>0.1 yes, 0.8>0.4 yes → 3/4.
  const auto data = labelled({{0.1}, {0.4}, {0.35}, {0.8}}, {{0}, {0}, {1}, {1}});
  EXPECT_DOUBLE_EQ(macro_roc_auc(data), 0.75);
}

TEST(RocAuc, TieBetweenPositiveAndNegativeCountsOneHalf) {
  // positives 0.5, 0.9; negatives 0.5, 0.2.
  // Pairs: 0.5 vs 0.5 tie = 1/2, 0.5>0.2, 0.9>0.5, 0.9>0.2 → 3.5/4 = 0.875.
  const auto data = labelled({{0.5}, {0.5}, {0.2}, {0.9}}, {{1}, {0}, {0}, {1}});
  EXPECT_DOUBLE_EQ(macro_roc_auc(data), 0.875);
}

TEST(RocAuc, AllScoresEqualIsChance) {
  // Every pair is a tie: 1/2 each.
  const auto data = labelled({{0.3}, {0.3}, {0.3}}, {{1}, {0}, {0}});
  EXPECT_DOUBLE_EQ(macro_roc_auc(data), 0.5);
}

TEST(RocAuc, MacroSkipsClassesWithoutPositivesOrWithoutNegatives) {
  // Column 0 is the documentation example (0.75), column 1 the tie example (0.875); column 2
  // has no positive and column 3 no negative, so neither has a ROC curve.
  // Mean over the two scorable classes: (0.75 + 0.875) / 2 = 0.8125.
  const auto data = labelled(
      {{0.1, 0.5, 0.9, 0.2}, {0.4, 0.5, 0.1, 0.3}, {0.35, 0.2, 0.5, 0.7}, {0.8, 0.9, 0.4, 0.1}},
      {{0, 1, 0, 1}, {0, 0, 0, 1}, {1, 0, 0, 1}, {1, 1, 0, 1}});
  EXPECT_DOUBLE_EQ(macro_roc_auc(data), 0.8125);
}

TEST(RocAuc, MaskedRowsLeaveTheirClass) {
  // Column 0 as in the tie example, but the negative tied at 0.5 is unknown: the remaining
  // pairs 0.5>0.2, 0.9>0.2 are both right → 1.
  const auto data =
      labelled({{0.5}, {0.5}, {0.2}, {0.9}}, {{1}, {0}, {0}, {1}}, {{1}, {0}, {1}, {1}});
  EXPECT_DOUBLE_EQ(macro_roc_auc(data), 1.0);
}

TEST(RocAuc, OneClassIsUndefined) {
  EXPECT_TRUE(std::isnan(roc_auc(std::vector<ScoreGroup>{{0.5, 2, 0}})));
  EXPECT_TRUE(std::isnan(roc_auc(std::vector<ScoreGroup>{{0.5, 0, 2}})));
  EXPECT_TRUE(std::isnan(roc_auc({})));
}

}  // namespace
}  // namespace chorus::metrics
