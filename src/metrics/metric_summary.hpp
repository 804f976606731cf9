#pragma once
// Every metric of one validation or evaluation run at once: what the trainer's validator and
// `chorus eval` report. Each class is sorted once for all the ranking metrics.

#include <cstddef>
#include <vector>

#include "metrics/class_metrics.hpp"
#include "metrics/labelled_scores.hpp"

namespace chorus::metrics {

struct SummaryOptions {
  std::size_t cmap_padding = kDefaultCmapPadding;  // all-ones rows appended for padded cmAP
  double f1_threshold = 0.5;                       // score ≥ threshold is a positive prediction
};

struct MetricSummary {
  double macro_roc_auc = 0.0;  // BirdCLEF 2024
  double padded_cmap = 0.0;    // BirdCLEF 2022/2023
  double lwlrap = 0.0;         // RFCX 2021, Freesound 2019
  double micro_f1 = 0.0;       // at SummaryOptions::f1_threshold
  double macro_f1 = 0.0;
  double top1_accuracy = 0.0;
  std::vector<ClassMetrics> per_class;
};

// Throws chorus::Error where one of the metrics is undefined on this data (see each metric).
MetricSummary summarize(const LabelledScores& data, const SummaryOptions& options = {});

}  // namespace chorus::metrics
