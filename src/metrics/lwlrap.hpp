#pragma once
// Label-weighted label-ranking average precision (LWLRAP), the Freesound Audio Tagging 2019 and
// Rainforest Connection (RFCX) 2021 metric. It equals
// sklearn.metrics.label_ranking_average_precision_score with sample_weight = each row's number
// of positive labels, ties included: a positive label's rank is the number of labels scoring at
// least as high as it (scipy rankdata "max" on the negated scores), so a tie counts against it.

#include "metrics/labelled_scores.hpp"

namespace chorus::metrics {

// Every positive label of every row contributes precision = (positives of its row scoring ≥ it)
// / (labels of its row scoring ≥ it); LWLRAP is the mean over all positive labels. Rows without
// positives weigh nothing.
//
// With a mask, a row is ranked among its known cells only: unknown cells neither compete for
// rank nor count as positives, and the row weighs its number of known positives. That is
// sklearn's score of the row cut down to its known cells, so fully known rows are unaffected.
//
// Throws chorus::Error when no row has a (known) positive.
double lwlrap(const LabelledScores& data);

}  // namespace chorus::metrics
