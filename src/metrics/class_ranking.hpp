#pragma once
// One class's known rows grouped by distinct score, highest score first: exactly the thresholds
// sklearn's _binary_clf_curve steps through for roc_curve and precision_recall_curve, where rows
// with equal scores enter the curve together. Both ROC-AUC and average precision are sums over
// these groups, so a class is sorted once for all its metrics.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "metrics/labelled_scores.hpp"

namespace chorus::metrics {

struct ScoreGroup {
  double score = 0.0;
  std::size_t positives = 0;
  std::size_t negatives = 0;
};

// Builds the groups class after class in reused buffers, so scoring a whole matrix allocates
// once instead of once per class.
class ClassRanker {
 public:
  explicit ClassRanker(const LabelledScores& data) : data_(data) {}

  // Valid until the next call. Empty when the class has no known rows.
  std::span<const ScoreGroup> rank(std::size_t cls);

 private:
  const LabelledScores& data_;
  std::vector<double> scores_;           // the class's known scores
  std::vector<double> positive_scores_;  // the subset whose truth is positive
  std::vector<ScoreGroup> groups_;
  std::vector<std::uint64_t> sort_scratch_;
};

}  // namespace chorus::metrics
