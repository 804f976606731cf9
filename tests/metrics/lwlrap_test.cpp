// LWLRAP by hand: each positive label scores (positives of its row ranked at or above it) /
// (labels of its row ranked at or above it); LWLRAP averages over all positive labels.

#include "metrics/lwlrap.hpp"

#include <gtest/gtest.h>

#include "small_matrices.hpp"

namespace chorus::metrics {
namespace {

using test_support::labelled;

TEST(Lwlrap, WeightsRowsByTheirLabelCount) {
  // Row 0: positives 0.9 (rank 1, 1 positive at or above → 1) and 0.7 (rank 2, 2 → 1).
  // Row 1: positive 0.8 ties with a negative: rank 2 (both count against it), 1 positive → 1/2.
  // Row 2: no label, no weight.
  // LWLRAP = (1 + 1 + 1/2) / 3 labels = 5/6 (an unweighted mean of rows would be 3/4).
  const auto data = labelled({{0.9, 0.5, 0.7}, {0.2, 0.8, 0.8}, {0.1, 0.3, 0.2}},
                             {{1, 0, 1}, {0, 1, 0}, {0, 0, 0}});
  EXPECT_DOUBLE_EQ(lwlrap(data), 5.0 / 6.0);
}

TEST(Lwlrap, TiedPositivesRankTogether) {
  // Both positives score 0.6, under a negative at 0.7: each has 3 labels at or above it, 2 of
  // them positive (the tie counts for it among positives) → 2/3 each. LWLRAP = 2/3.
  const auto data = labelled({{0.6, 0.6, 0.7}}, {{1, 1, 0}});
  EXPECT_DOUBLE_EQ(lwlrap(data), 2.0 / 3.0);
}

TEST(Lwlrap, RowWithEveryLabelIsPerfect) {
  // sklearn scores such a row 1 by definition; the ranks give the same: L = rank for all.
  const auto data = labelled({{0.1, 0.9, 0.5}}, {{1, 1, 1}});
  EXPECT_DOUBLE_EQ(lwlrap(data), 1.0);
}

TEST(Lwlrap, MaskedRowRanksAmongItsKnownCells) {
  // As WeightsRowsByTheirLabelCount, but the negative tied with row 1's positive is unknown:
  // the positive now ranks 1 → 1. The unknown positive of row 2 (0.3) is not a label.
  // LWLRAP = (1 + 1 + 1) / 3 = 1.
  const auto data = labelled({{0.9, 0.5, 0.7}, {0.2, 0.8, 0.8}, {0.1, 0.3, 0.2}},
                             {{1, 0, 1}, {0, 1, 0}, {0, 1, 0}}, {{1, 1, 1}, {1, 1, 0}, {1, 0, 1}});
  EXPECT_DOUBLE_EQ(lwlrap(data), 1.0);
}

}  // namespace
}  // namespace chorus::metrics
