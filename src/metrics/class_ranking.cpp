#include "metrics/class_ranking.hpp"

#include <algorithm>

#include "metrics/radix_sort.hpp"

namespace chorus::metrics {

std::span<const ScoreGroup> ClassRanker::rank(std::size_t cls) {
  scores_.clear();
  positive_scores_.clear();
  for (std::size_t row = 0; row < data_.rows(); ++row) {
    const Label label = data_.label(row, cls);
    if (label == Label::unknown) continue;
    scores_.push_back(data_.score(row, cls));
    if (label == Label::positive) positive_scores_.push_back(data_.score(row, cls));
  }
  // Sorting bare scores rather than score/label pairs moves half the bytes; the labels come
  // back by walking the sorted positives alongside, since every positive score is also in
  // scores_.
  sort_descending(scores_, sort_scratch_);
  sort_descending(positive_scores_, sort_scratch_);

  groups_.clear();
  auto positive = positive_scores_.begin();
  for (auto first = scores_.begin(); first != scores_.end();) {
    const double score = *first;
    const auto last = std::find_if(first, scores_.end(), [&](double s) { return s != score; });
    const auto positive_last =
        std::find_if(positive, positive_scores_.end(), [&](double s) { return s != score; });
    const auto rows = static_cast<std::size_t>(last - first);
    const auto positives = static_cast<std::size_t>(positive_last - positive);
    groups_.push_back({score, positives, rows - positives});
    first = last;
    positive = positive_last;
  }
  return groups_;
}

}  // namespace chorus::metrics
