// Top-1 accuracy by hand.

#include "metrics/top1_accuracy.hpp"

#include <gtest/gtest.h>

#include "small_matrices.hpp"

namespace chorus::metrics {
namespace {

using test_support::labelled;

// Row 0: top class 1 is positive → hit.
// Row 1: classes 0 and 1 tie at 0.5; the first (0) wins, as numpy's argmax → miss.
// Row 2: top class 2 is one of two positives → hit.
// Row 3: no positive → not counted.
// Accuracy: 2 / 3.
TEST(Top1Accuracy, CountsRowsWhoseTopClassIsPositive) {
  const auto data = labelled({{0.1, 0.8, 0.3}, {0.5, 0.5, 0.2}, {0.3, 0.2, 0.9}, {0.6, 0.1, 0.1}},
                             {{0, 1, 0}, {0, 1, 0}, {1, 0, 1}, {0, 0, 0}});
  EXPECT_DOUBLE_EQ(top1_accuracy(data), 2.0 / 3.0);
}

TEST(Top1Accuracy, ArgmaxRunsOverKnownCells) {
  // Row 1's class 0 unknown: the top known class is 1, a positive → 3 / 3.
  const auto data = labelled({{0.1, 0.8, 0.3}, {0.5, 0.5, 0.2}, {0.3, 0.2, 0.9}, {0.6, 0.1, 0.1}},
                             {{0, 1, 0}, {0, 1, 0}, {1, 0, 1}, {0, 0, 0}},
                             {{1, 1, 1}, {0, 1, 1}, {1, 1, 1}, {1, 1, 1}});
  EXPECT_DOUBLE_EQ(top1_accuracy(data), 1.0);
}

}  // namespace
}  // namespace chorus::metrics
