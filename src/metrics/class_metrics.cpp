#include "metrics/class_metrics.hpp"

#include "metrics/average_precision.hpp"
#include "metrics/class_ranking.hpp"
#include "metrics/roc_auc.hpp"

namespace chorus::metrics {

std::vector<ClassMetrics> per_class_metrics(const LabelledScores& data, std::size_t padding) {
  std::vector<ClassMetrics> report(data.cols());
  ClassRanker ranker(data);
  for (std::size_t cls = 0; cls < data.cols(); ++cls) {
    const auto ranking = ranker.rank(cls);
    ClassMetrics& metrics = report[cls];
    for (const ScoreGroup& group : ranking) {
      metrics.positives += group.positives;
      metrics.negatives += group.negatives;
    }
    metrics.roc_auc = roc_auc(ranking);
    metrics.average_precision = average_precision(ranking);
    metrics.padded_average_precision = average_precision(ranking, padding);
  }
  return report;
}

}  // namespace chorus::metrics
