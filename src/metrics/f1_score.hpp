#pragma once
// F1 at a decision threshold, with sklearn.metrics.f1_score's conventions for multilabel
// indicator matrices: micro = F1 of the counts pooled over every cell, macro = unweighted mean
// of each class's F1 over all classes, and zero_division=0 (a class, or the pool, with no true
// positive scores 0, including when it has neither positives nor predictions).
//
// A cell is predicted positive when score ≥ threshold: the convention of sklearn's
// precision_recall_curve, whose thresholds are the scores at which a row turns positive, and of
// the BirdCLEF 2021 notebooks (`probs >= threshold`). With a mask, only known cells are counted;
// a class with no known cell scores 0 under macro averaging, as zero_division=0 gives it.
//
// (BirdCLEF 2021's leaderboard metric was the row-wise F1 of predicted species sets with
// "nocall"; that is sklearn's average='samples', not either of these.)

#include <cstddef>
#include <span>
#include <vector>

#include "metrics/labelled_scores.hpp"

namespace chorus::metrics {

enum class F1Average { micro, macro };

inline constexpr std::size_t kDefaultThresholdCandidates = 1000;

double f1_score(const LabelledScores& data, double threshold, F1Average average);

struct ThresholdChoice {
  double threshold = 0.0;
  double f1 = 0.0;
};

// The candidate threshold with the highest F1, the lowest such candidate on a tie. One pass over
// the cells whatever the number of candidates. Throws chorus::Error when `thresholds` is empty
// or holds NaN.
ThresholdChoice best_f1_threshold(const LabelledScores& data, std::span<const double> thresholds,
                                  F1Average average);

// The thresholds worth trying: F1 changes only where a cell's score is the threshold (a cell
// turns positive exactly at its own score), so the distinct known scores are every threshold
// that matters, whatever the scale (probabilities or logits). Beyond `max_count` distinct
// scores, `max_count` of them evenly spaced in rank (from the lowest to the highest) keep the
// choice bounded on a BirdCLEF-sized matrix. Ascending; empty when no cell is known.
std::vector<double> f1_threshold_candidates(const LabelledScores& data,
                                            std::size_t max_count = kDefaultThresholdCandidates);

}  // namespace chorus::metrics
