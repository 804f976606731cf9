#include "metrics/f1_score.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/error.hpp"
#include "metrics/radix_sort.hpp"

namespace chorus::metrics {
namespace {

struct Confusion {
  std::size_t true_positives = 0;
  std::size_t false_positives = 0;
  std::size_t false_negatives = 0;
};

// 2·tp / (2·tp + fp + fn) is sklearn's 2·P·R / (P + R) without the undefined ratios; with no
// true positive it is 0, which is what zero_division=0 makes every such case.
double f1(const Confusion& c) {
  if (c.true_positives == 0) return 0.0;
  const auto doubled_tp = 2.0 * static_cast<double>(c.true_positives);
  return doubled_tp / (doubled_tp + static_cast<double>(c.false_positives + c.false_negatives));
}

double average_f1(std::span<const Confusion> per_class, F1Average average) {
  if (average == F1Average::macro) {
    double sum = 0.0;
    for (const Confusion& c : per_class) sum += f1(c);
    return sum / static_cast<double>(per_class.size());
  }
  Confusion pooled;
  for (const Confusion& c : per_class) {
    pooled.true_positives += c.true_positives;
    pooled.false_positives += c.false_positives;
    pooled.false_negatives += c.false_negatives;
  }
  return f1(pooled);
}

// How many of the ascending thresholds are ≤ score: std::upper_bound without branches, since
// where a score falls among the thresholds is a coin toss the branch predictor keeps losing.
std::size_t thresholds_passed(std::span<const double> ascending_thresholds, double score) {
  const double* base = ascending_thresholds.data();
  for (std::size_t n = ascending_thresholds.size(); n > 1;) {
    const std::size_t half = n / 2;
    base = base[half] <= score ? base + half : base;
    n -= half;
  }
  return static_cast<std::size_t>(base - ascending_thresholds.data()) + (*base <= score ? 1 : 0);
}

// Confusion counts of every class at every threshold (ascending), [threshold][class], from one
// pass over the cells: a cell is predicted positive exactly at the thresholds ≤ its score, so
// it is binned by how many thresholds it passes and suffix sums over the bins give the counts.
std::vector<Confusion> confusions_by_threshold(const LabelledScores& data,
                                               std::span<const double> ascending_thresholds) {
  const std::size_t cols = data.cols();
  const std::size_t bins = ascending_thresholds.size() + 1;
  std::vector<std::size_t> positives_in_bin(bins * cols, 0);
  std::vector<std::size_t> negatives_in_bin(bins * cols, 0);
  for (std::size_t row = 0; row < data.rows(); ++row) {
    for (std::size_t col = 0; col < cols; ++col) {
      const Label label = data.label(row, col);
      if (label == Label::unknown) continue;
      const std::size_t passed = thresholds_passed(ascending_thresholds, data.score(row, col));
      auto& bin = label == Label::positive ? positives_in_bin : negatives_in_bin;
      ++bin[passed * cols + col];
    }
  }

  std::vector<Confusion> confusions(ascending_thresholds.size() * cols);
  for (std::size_t col = 0; col < cols; ++col) {
    std::size_t positives = 0;
    for (std::size_t b = 0; b < bins; ++b) positives += positives_in_bin[b * cols + col];
    // Walking down from the highest threshold, each bin's cells turn predicted-positive.
    std::size_t true_positives = 0;
    std::size_t false_positives = 0;
    for (std::size_t t = ascending_thresholds.size(); t-- > 0;) {
      true_positives += positives_in_bin[(t + 1) * cols + col];
      false_positives += negatives_in_bin[(t + 1) * cols + col];
      confusions[t * cols + col] = {true_positives, false_positives, positives - true_positives};
    }
  }
  return confusions;
}

}  // namespace

double f1_score(const LabelledScores& data, double threshold, F1Average average) {
  return best_f1_threshold(data, std::span(&threshold, 1), average).f1;
}

ThresholdChoice best_f1_threshold(const LabelledScores& data, std::span<const double> thresholds,
                                  F1Average average) {
  CHORUS_CHECK(!thresholds.empty(), "F1: no candidate thresholds to choose from");
  CHORUS_CHECK(
      std::none_of(thresholds.begin(), thresholds.end(), [](double t) { return std::isnan(t); }),
      "F1: a threshold is NaN");
  std::vector<double> ascending(thresholds.begin(), thresholds.end());
  std::sort(ascending.begin(), ascending.end());

  const auto confusions = confusions_by_threshold(data, ascending);
  const std::size_t cols = data.cols();
  ThresholdChoice best{ascending.front(), -1.0};
  for (std::size_t t = 0; t < ascending.size(); ++t) {
    const double score = average_f1(std::span(confusions).subspan(t * cols, cols), average);
    if (score > best.f1) best = {ascending[t], score};
  }
  return best;
}

std::vector<double> f1_threshold_candidates(const LabelledScores& data, std::size_t max_count) {
  CHORUS_CHECK(max_count >= 2, "F1: max_count = {}, expected at least 2 candidate thresholds",
               max_count);
  std::vector<double> scores;
  scores.reserve(data.rows() * data.cols());
  for (std::size_t row = 0; row < data.rows(); ++row)
    for (std::size_t col = 0; col < data.cols(); ++col)
      if (data.label(row, col) != Label::unknown) scores.push_back(data.score(row, col));
  std::vector<std::uint64_t> scratch;
  sort_descending(scores, scratch);
  scores.erase(std::unique(scores.begin(), scores.end()), scores.end());
  std::reverse(scores.begin(), scores.end());
  if (scores.size() <= max_count) return scores;
  std::vector<double> thinned(max_count);
  const double last = static_cast<double>(scores.size() - 1);
  for (std::size_t i = 0; i < max_count; ++i)
    thinned[i] = scores[static_cast<std::size_t>(
        std::llround(last * static_cast<double>(i) / static_cast<double>(max_count - 1)))];
  return thinned;
}

}  // namespace chorus::metrics
