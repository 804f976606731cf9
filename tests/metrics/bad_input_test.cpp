// Bad input is refused with a message that names the matrix, the cell and the rule broken.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "metrics/f1_score.hpp"
#include "metrics/labelled_scores.hpp"
#include "metrics/lwlrap.hpp"
#include "metrics/roc_auc.hpp"
#include "metrics/top1_accuracy.hpp"
#include "small_matrices.hpp"

namespace chorus::metrics {
namespace {

using test_support::labelled;

template <typename ErrorType, typename Fn>
void expect_error(Fn&& fn, const std::string& message) {
  try {
    fn();
    ADD_FAILURE() << "no exception; expected: " << message;
  } catch (const ErrorType& error) {
    EXPECT_EQ(error.what(), message);
  }
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(MetricsBadInput, EmptyMatrix) {
  const std::vector<double> none;
  expect_error<FormatError>([&] { LabelledScores(MatrixView(none, 0, 3), MatrixView(none, 0, 3)); },
                            "metrics: the score matrix is empty (0 × 3)");
}

TEST(MetricsBadInput, SpanSizeDisagreesWithShape) {
  const std::vector<double> five(5, 0.0);
  const std::vector<double> six(6, 0.0);
  expect_error<FormatError>([&] { LabelledScores(MatrixView(five, 2, 3), MatrixView(six, 2, 3)); },
                            "metrics: the score matrix has 5 values, not 2 × 3 = 6");
  expect_error<FormatError>([&] { LabelledScores(MatrixView(six, 2, 3), MatrixView(five, 2, 3)); },
                            "metrics: the truth matrix has 5 values, not 2 × 3 = 6");
}

TEST(MetricsBadInput, ShapeMismatch) {
  expect_error<FormatError>(
      [] {
        labelled({{0.1, 0.2, 0.3}, {0.4, 0.5, 0.6}}, {{0, 1}, {1, 0}, {0, 0}});
      },
      "metrics: the truth matrix is 3 × 2 but the score matrix is 2 × 3");
  expect_error<FormatError>(
      [] {
        labelled({{0.1, 0.2}}, {{0, 1}}, {{1, 1, 1}});
      },
      "metrics: the mask matrix is 1 × 3 but the score matrix is 1 × 2");
}

TEST(MetricsBadInput, NonFiniteScore) {
  expect_error<FormatError>(
      [] {
        labelled({{0.1, 0.2, 0.3}, {0.4, 0.5, kNaN}}, {{0, 1, 0}, {1, 0, 0}});
      },
      "metrics: scores[1, 2] is nan (scores must be finite)");
  expect_error<FormatError>(
      [] {
        labelled({{kInf, 0.2}}, {{0, 1}});
      },
      "metrics: scores[0, 0] is inf (scores must be finite)");
  expect_error<FormatError>(
      [] {
        labelled({{0.1, -kInf}}, {{0, 1}});
      },
      "metrics: scores[0, 1] is -inf (scores must be finite)");
}

TEST(MetricsBadInput, TruthNotZeroOrOne) {
  expect_error<FormatError>(
      [] {
        labelled({{0.1, 0.2}}, {{0, 0.5}});
      },
      "metrics: truth[0, 1] is 0.5 (truth must be 0 or 1)");
  expect_error<FormatError>(
      [] {
        labelled({{0.1, 0.2}}, {{-1, 1}});
      },
      "metrics: truth[0, 0] is -1 (truth must be 0 or 1)");
  expect_error<FormatError>(
      [] {
        labelled({{0.1, 0.2}}, {{kNaN, 1}});
      },
      "metrics: truth[0, 0] is nan (truth must be 0 or 1)");
}

TEST(MetricsBadInput, MaskNotZeroOrOne) {
  expect_error<FormatError>(
      [] {
        labelled({{0.1}, {0.2}}, {{0}, {1}}, {{1}, {255}});
      },
      "metrics: mask[1, 0] is 255 (mask must be 0 or 1, 1 = known)");
}

TEST(MetricsUndefined, MacroRocAucWithoutAScorableClass) {
  // Column 0 has no positive, column 1 no negative.
  const auto data = labelled({{0.1, 0.2}, {0.3, 0.4}}, {{0, 1}, {0, 1}});
  expect_error<Error>([&] { macro_roc_auc(data); },
                      "macro ROC-AUC is undefined: none of the 2 classes has both a positive and "
                      "a negative row");
}

TEST(MetricsUndefined, LwlrapAndTop1WithoutAPositive) {
  const auto data = labelled({{0.1, 0.2}, {0.3, 0.4}}, {{0, 0}, {0, 0}});
  expect_error<Error>([&] { lwlrap(data); },
                      "LWLRAP is undefined: none of the 2 rows has a positive label");
  expect_error<Error>([&] { top1_accuracy(data); },
                      "top-1 accuracy is undefined: none of the 2 rows has a positive label");
  const auto masked = labelled({{0.1, 0.2}}, {{0, 1}}, {{1, 0}});
  expect_error<Error>([&] { lwlrap(masked); },
                      "LWLRAP is undefined: none of the 1 rows has a known positive label");
}

TEST(MetricsBadInput, F1Thresholds) {
  const auto data = labelled({{0.1, 0.2}}, {{0, 1}});
  expect_error<Error>([&] { best_f1_threshold(data, {}, F1Average::micro); },
                      "F1: no candidate thresholds to choose from");
  expect_error<Error>([&] { f1_score(data, kNaN, F1Average::macro); }, "F1: a threshold is NaN");
}

}  // namespace
}  // namespace chorus::metrics
