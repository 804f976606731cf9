#include "metrics/labelled_scores.hpp"

#include <cmath>
#include <string_view>

#include "core/error.hpp"

namespace chorus::metrics {
namespace {

void check_size(const MatrixView& matrix, std::string_view name) {
  CHORUS_CHECK_AS(FormatError, matrix.size() == matrix.rows() * matrix.cols(),
                  "metrics: the {} matrix has {} values, not {} × {} = {}", name, matrix.size(),
                  matrix.rows(), matrix.cols(), matrix.rows() * matrix.cols());
}

void check_same_shape(const MatrixView& matrix, std::string_view name, const MatrixView& scores) {
  check_size(matrix, name);
  CHORUS_CHECK_AS(FormatError, matrix.rows() == scores.rows() && matrix.cols() == scores.cols(),
                  "metrics: the {} matrix is {} × {} but the score matrix is {} × {}", name,
                  matrix.rows(), matrix.cols(), scores.rows(), scores.cols());
}

// Truth and mask cells must be exactly 0 or 1: a 0.5 or a 255 is a caller's bug (soft labels,
// an unconverted image mask) that would otherwise be read silently as one class or the other.
void check_binary(const MatrixView& matrix, std::string_view name, std::string_view meaning) {
  matrix.for_each_value([&](std::size_t i, double value) {
    CHORUS_CHECK_AS(FormatError, value == 0.0 || value == 1.0,
                    "metrics: {}[{}, {}] is {} ({} must be 0 or 1{})", name, i / matrix.cols(),
                    i % matrix.cols(), value, name, meaning);
  });
}

}  // namespace

LabelledScores::LabelledScores(const MatrixView& scores, const MatrixView& truth)
    : LabelledScores(scores, truth, nullptr) {}

LabelledScores::LabelledScores(const MatrixView& scores, const MatrixView& truth,
                               const MatrixView& mask)
    : LabelledScores(scores, truth, &mask) {}

LabelledScores::LabelledScores(const MatrixView& scores, const MatrixView& truth,
                               const MatrixView* mask)
    : rows_(scores.rows()), cols_(scores.cols()), has_mask_(mask != nullptr) {
  CHORUS_CHECK_AS(FormatError, rows_ > 0 && cols_ > 0,
                  "metrics: the score matrix is empty ({} × {})", rows_, cols_);
  check_size(scores, "score");
  check_same_shape(truth, "truth", scores);
  check_binary(truth, "truth", "");
  if (mask != nullptr) {
    check_same_shape(*mask, "mask", scores);
    check_binary(*mask, "mask", ", 1 = known");
  }

  scores_.resize(rows_ * cols_);
  scores.for_each_value([&](std::size_t i, double value) {
    CHORUS_CHECK_AS(FormatError, std::isfinite(value),
                    "metrics: scores[{}, {}] is {} (scores must be finite)", i / cols_, i % cols_,
                    value);
    // -0.0 == 0.0, as for sklearn; one bit pattern lets the sorts put them in one place.
    scores_[i] = value + 0.0;
  });
  labels_.resize(rows_ * cols_);
  truth.for_each_value([&](std::size_t i, double value) {
    labels_[i] = value == 1.0 ? Label::positive : Label::negative;
  });
  if (mask != nullptr) {
    mask->for_each_value([&](std::size_t i, double value) {
      if (value == 0.0) labels_[i] = Label::unknown;
    });
  }
}

}  // namespace chorus::metrics
