#include "metrics/average_precision.hpp"

#include <cmath>

#include "core/error.hpp"

namespace chorus::metrics {
namespace {

// Walks the precision-recall curve from the highest threshold down. Each step adds
// ΔR · P = (positives / total positives) · precision; the division by the total waits for the
// end, when the total is known.
class PrecisionRecallWalk {
 public:
  void step(std::size_t positives, std::size_t negatives) {
    true_positives_ += positives;
    false_positives_ += negatives;
    if (positives == 0) return;
    const auto tp = static_cast<double>(true_positives_);
    positive_weighted_precision_ +=
        static_cast<double>(positives) * tp / (tp + static_cast<double>(false_positives_));
  }

  double average_precision() const {
    if (true_positives_ == 0) return ClassMetrics::undefined;
    return positive_weighted_precision_ / static_cast<double>(true_positives_);
  }

 private:
  std::size_t true_positives_ = 0;
  std::size_t false_positives_ = 0;
  double positive_weighted_precision_ = 0.0;
};

}  // namespace

double average_precision(std::span<const ScoreGroup> ranking, std::size_t padding) {
  constexpr double kPaddingScore = 1.0;
  PrecisionRecallWalk walk;
  bool padding_placed = padding == 0;
  for (const ScoreGroup& group : ranking) {
    if (!padding_placed && group.score <= kPaddingScore) {
      padding_placed = true;
      if (group.score == kPaddingScore) {
        walk.step(group.positives + padding, group.negatives);
        continue;
      }
      walk.step(padding, 0);
    }
    walk.step(group.positives, group.negatives);
  }
  if (!padding_placed) walk.step(padding, 0);
  return walk.average_precision();
}

double padded_cmap(std::span<const ClassMetrics> per_class) {
  CHORUS_CHECK(!per_class.empty(), "padded cmAP is undefined without classes");
  double sum = 0.0;
  for (const ClassMetrics& metrics : per_class) {
    if (!std::isnan(metrics.padded_average_precision)) sum += metrics.padded_average_precision;
  }
  return sum / static_cast<double>(per_class.size());
}

double padded_cmap(const LabelledScores& data, std::size_t padding) {
  return padded_cmap(per_class_metrics(data, padding));
}

}  // namespace chorus::metrics
