#include "metrics/top1_accuracy.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace chorus::metrics {
namespace {

// The row's known label with the highest score (first on a tie), or unknown if it has none.
Label top_label(std::span<const double> scores, std::span<const Label> labels) {
  Label top = Label::unknown;
  double top_score = 0.0;
  for (std::size_t col = 0; col < scores.size(); ++col) {
    if (labels[col] == Label::unknown) continue;
    if (top == Label::unknown || scores[col] > top_score) {
      top = labels[col];
      top_score = scores[col];
    }
  }
  return top;
}

}  // namespace

double top1_accuracy(const LabelledScores& data) {
  std::size_t answerable = 0;
  std::size_t hits = 0;
  for (std::size_t row = 0; row < data.rows(); ++row) {
    const auto labels = data.row_labels(row);
    if (std::find(labels.begin(), labels.end(), Label::positive) == labels.end()) continue;
    ++answerable;
    if (top_label(data.row_scores(row), labels) == Label::positive) ++hits;
  }
  CHORUS_CHECK(answerable > 0,
               "top-1 accuracy is undefined: none of the {} rows has a {}positive label",
               data.rows(), data.has_mask() ? "known " : "");
  return static_cast<double>(hits) / static_cast<double>(answerable);
}

}  // namespace chorus::metrics
