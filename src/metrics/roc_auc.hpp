#pragma once
// ROC-AUC as sklearn.metrics.roc_auc_score computes it: the trapezoidal area under roc_curve,
// where tied scores move the curve diagonally (a positive tied with a negative counts one half,
// the average-rank / Mann-Whitney convention).

#include <span>

#include "metrics/class_metrics.hpp"
#include "metrics/class_ranking.hpp"
#include "metrics/labelled_scores.hpp"

namespace chorus::metrics {

// One class. NaN when the class lacks positives or negatives (sklearn raises there).
double roc_auc(std::span<const ScoreGroup> ranking);

// The mean ROC-AUC over the classes that have at least one known positive and one known
// negative. The BirdCLEF 2024 scorer drops the classes without positives before calling
// roc_auc_score(average='macro'); a class whose known rows are all positive has no ROC curve
// either (sklearn raises), so it is dropped too. Throws chorus::Error when no class qualifies.
double macro_roc_auc(std::span<const ClassMetrics> per_class);
double macro_roc_auc(const LabelledScores& data);

}  // namespace chorus::metrics
