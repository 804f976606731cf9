#pragma once
// Average precision as sklearn.metrics.average_precision_score computes it: the step-wise sum
// Σ (R_k − R_{k−1}) · P_k over the distinct score thresholds of precision_recall_curve (tied
// scores enter together), not the interpolated PASCAL VOC area.

#include <cstddef>
#include <span>

#include "metrics/class_metrics.hpp"
#include "metrics/class_ranking.hpp"
#include "metrics/labelled_scores.hpp"

namespace chorus::metrics {

// One class, with `padding` extra rows of score 1 and truth 1 (they join the group scoring
// exactly 1 if there is one, and rank above any lower score). NaN when there is no positive,
// padding included.
double average_precision(std::span<const ScoreGroup> ranking, std::size_t padding = 0);

// BirdCLEF 2022/2023 padded cmAP: `padding` all-ones rows appended to truth and scores, then
// average_precision_score(average='macro') over every class. Only with padding = 0 can a class
// lack positives; sklearn (1.2) then sets its recall to 1 everywhere, giving it AP 0, and so
// does this.
double padded_cmap(std::span<const ClassMetrics> per_class);
double padded_cmap(const LabelledScores& data, std::size_t padding = kDefaultCmapPadding);

}  // namespace chorus::metrics
