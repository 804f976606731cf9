#pragma once
// The input of every metric: a score matrix (rows = chunks or clips, columns = classes), its 0/1
// truth and, for RFCX-style partial labels, a mask of the cells whose truth is known. Checked
// once here and held in double, so each metric is pure arithmetic on trusted data.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "metrics/matrix_view.hpp"

namespace chorus::metrics {

// What the truth says about one cell.
enum class Label : std::uint8_t { negative, positive, unknown };

class LabelledScores {
 public:
  // Throws chorus::FormatError on an empty matrix, mismatched shapes, a span whose size is not
  // rows × cols, a NaN or infinite score, or a truth or mask value other than 0 or 1.
  LabelledScores(const MatrixView& scores, const MatrixView& truth);
  // mask: 1 = the truth of this cell is known, 0 = unknown (the cell takes no part in any
  // metric, whatever its truth says).
  LabelledScores(const MatrixView& scores, const MatrixView& truth, const MatrixView& mask);

  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  bool has_mask() const noexcept { return has_mask_; }

  double score(std::size_t row, std::size_t col) const { return scores_[row * cols_ + col]; }
  Label label(std::size_t row, std::size_t col) const { return labels_[row * cols_ + col]; }
  std::span<const double> row_scores(std::size_t row) const {
    return {scores_.data() + row * cols_, cols_};
  }
  std::span<const Label> row_labels(std::size_t row) const {
    return {labels_.data() + row * cols_, cols_};
  }

 private:
  LabelledScores(const MatrixView& scores, const MatrixView& truth, const MatrixView* mask);

  std::size_t rows_;
  std::size_t cols_;
  bool has_mask_;
  std::vector<double> scores_;  // row-major
  std::vector<Label> labels_;   // row-major
};

}  // namespace chorus::metrics
