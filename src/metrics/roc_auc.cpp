#include "metrics/roc_auc.hpp"

#include <cmath>
#include <cstdint>

#include "core/error.hpp"

namespace chorus::metrics {

double roc_auc(std::span<const ScoreGroup> ranking) {
  // Area · P · N = Σ_groups negatives · (positives above + positives in the group / 2): each
  // trapezoid of sklearn's auc(fpr, tpr) scaled to counts. Doubled, it is an integer, so the
  // sum is exact and the one division at the end is the only rounding (while rows < 2^31).
  std::uint64_t positives_above = 0;
  std::uint64_t negatives = 0;
  std::uint64_t doubled_area = 0;
  for (const ScoreGroup& group : ranking) {
    doubled_area += group.negatives * (2 * positives_above + group.positives);
    positives_above += group.positives;
    negatives += group.negatives;
  }
  if (positives_above == 0 || negatives == 0) return ClassMetrics::undefined;
  return static_cast<double>(doubled_area) /
         (2.0 * static_cast<double>(positives_above) * static_cast<double>(negatives));
}

double macro_roc_auc(std::span<const ClassMetrics> per_class) {
  double sum = 0.0;
  std::size_t scored = 0;
  for (const ClassMetrics& metrics : per_class) {
    if (std::isnan(metrics.roc_auc)) continue;
    sum += metrics.roc_auc;
    ++scored;
  }
  CHORUS_CHECK(scored > 0,
               "macro ROC-AUC is undefined: none of the {} classes has both a positive and a "
               "negative row",
               per_class.size());
  return sum / static_cast<double>(scored);
}

double macro_roc_auc(const LabelledScores& data) { return macro_roc_auc(per_class_metrics(data)); }

}  // namespace chorus::metrics
