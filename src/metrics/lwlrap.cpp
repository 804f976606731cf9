#include "metrics/lwlrap.hpp"

#include <algorithm>
#include <functional>
#include <vector>

#include "core/error.hpp"

namespace chorus::metrics {
namespace {

// Σ over the row's known positives of (positives scoring ≥ it) / (known labels scoring ≥ it),
// in O(cols · log positives): with the positive scores sorted descending, a cell of score s
// scores at least as high as exactly the positives from the first one ≤ s onwards, so one
// counter per position plus a running sum gives every positive's rank.
class RowPrecisionSum {
 public:
  double operator()(std::span<const double> scores, std::span<const Label> labels) {
    collect_positives(scores, labels);
    if (positives_.empty()) return 0.0;
    count_rank_starts(scores, labels);
    return sum_precisions();
  }

  // The labels the last row contributed: its weight.
  std::size_t positives() const { return positives_.size(); }

 private:
  void collect_positives(std::span<const double> scores, std::span<const Label> labels) {
    positives_.clear();
    for (std::size_t col = 0; col < scores.size(); ++col) {
      if (labels[col] == Label::positive) positives_.push_back(scores[col]);
    }
    std::sort(positives_.begin(), positives_.end(), std::greater<>());
  }

  void count_rank_starts(std::span<const double> scores, std::span<const Label> labels) {
    rank_starts_.assign(positives_.size(), 0);
    for (std::size_t col = 0; col < scores.size(); ++col) {
      if (labels[col] == Label::unknown) continue;
      const double score = scores[col];
      const auto first_reached =
          std::partition_point(positives_.begin(), positives_.end(),
                               [score](double positive) { return positive > score; });
      if (first_reached != positives_.end()) ++rank_starts_[first_reached - positives_.begin()];
    }
  }

  double sum_precisions() const {
    double sum = 0.0;
    std::size_t rank = 0;
    for (std::size_t k = 0; k < positives_.size(); ++k) {
      rank += rank_starts_[k];
      const double score = positives_[k];
      // Positives tied with positive k rank with it: all of them count as at or above it.
      const auto positives_at_least =
          std::partition_point(positives_.begin() + k, positives_.end(),
                               [score](double positive) { return positive >= score; }) -
          positives_.begin();
      sum += static_cast<double>(positives_at_least) / static_cast<double>(rank);
    }
    return sum;
  }

  std::vector<double> positives_;  // the row's positive scores, descending
  // [k]: the known cells that score at least positive k but less than positive k − 1.
  std::vector<std::size_t> rank_starts_;
};

}  // namespace

double lwlrap(const LabelledScores& data) {
  RowPrecisionSum row_precision_sum;
  double precision_sum = 0.0;
  std::size_t labels = 0;
  for (std::size_t row = 0; row < data.rows(); ++row) {
    precision_sum += row_precision_sum(data.row_scores(row), data.row_labels(row));
    labels += row_precision_sum.positives();
  }
  CHORUS_CHECK(labels > 0, "LWLRAP is undefined: none of the {} rows has a {}positive label",
               data.rows(), data.has_mask() ? "known " : "");
  return precision_sum / static_cast<double>(labels);
}

}  // namespace chorus::metrics
