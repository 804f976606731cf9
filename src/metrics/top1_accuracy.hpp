#pragma once
// Top-1 accuracy: how often the highest-scoring class of a row is a positive of that row. On
// single-label rows (ESC-50, clip classification) this is
// sklearn.metrics.accuracy_score(truth.argmax(1), scores.argmax(1)); on multi-label rows it is
// precision at 1, which does not depend on the order in which the positives are listed.

#include "metrics/labelled_scores.hpp"

namespace chorus::metrics {

// Rows without a (known) positive have no right answer and are left out. A tie for the highest
// score goes to the first column, as numpy's argmax breaks it. With a mask the argmax runs over
// the row's known cells only. Throws chorus::Error when no row has a (known) positive.
double top1_accuracy(const LabelledScores& data);

}  // namespace chorus::metrics
