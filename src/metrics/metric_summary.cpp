#include "metrics/metric_summary.hpp"

#include "metrics/average_precision.hpp"
#include "metrics/f1_score.hpp"
#include "metrics/lwlrap.hpp"
#include "metrics/roc_auc.hpp"
#include "metrics/top1_accuracy.hpp"

namespace chorus::metrics {

MetricSummary summarize(const LabelledScores& data, const SummaryOptions& options) {
  MetricSummary summary;
  summary.per_class = per_class_metrics(data, options.cmap_padding);
  summary.macro_roc_auc = macro_roc_auc(summary.per_class);
  summary.padded_cmap = padded_cmap(summary.per_class);
  summary.lwlrap = lwlrap(data);
  summary.micro_f1 = f1_score(data, options.f1_threshold, F1Average::micro);
  summary.macro_f1 = f1_score(data, options.f1_threshold, F1Average::macro);
  summary.top1_accuracy = top1_accuracy(data);
  return summary;
}

}  // namespace chorus::metrics
