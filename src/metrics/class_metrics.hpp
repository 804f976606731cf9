#pragma once
// The per-class report: counts, ROC-AUC and average precision of every class, from one sort of
// each class's scores. The macro metrics (macro_roc_auc, padded_cmap) average these, so a caller
// that wants several of them sorts once.

#include <cstddef>
#include <limits>
#include <vector>

#include "metrics/labelled_scores.hpp"

namespace chorus::metrics {

// BirdCLEF 2022/2023's padded cmAP appends five all-ones rows.
inline constexpr std::size_t kDefaultCmapPadding = 5;

struct ClassMetrics {
  static constexpr double undefined = std::numeric_limits<double>::quiet_NaN();

  std::size_t positives = 0;                    // known rows whose truth is 1
  std::size_t negatives = 0;                    // known rows whose truth is 0
  double roc_auc = undefined;                   // NaN unless positives > 0 and negatives > 0
  double average_precision = undefined;         // NaN unless positives > 0
  double padded_average_precision = undefined;  // with `padding` all-ones rows appended
};

// One entry per column. With a mask, each class sees only its known rows (the padding rows are
// known).
std::vector<ClassMetrics> per_class_metrics(const LabelledScores& data,
                                            std::size_t padding = kDefaultCmapPadding);

}  // namespace chorus::metrics
