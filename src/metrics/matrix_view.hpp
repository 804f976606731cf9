#pragma once
// A borrowed row-major matrix of float or double values: model outputs are float32, reference
// files and hand-written tables are often float64, and the metrics take either without a copy
// on the caller's side.

#include <cstddef>
#include <span>
#include <variant>

namespace chorus::metrics {

class MatrixView {
 public:
  MatrixView(std::span<const float> values, std::size_t rows, std::size_t cols);
  MatrixView(std::span<const double> values, std::size_t rows, std::size_t cols);

  std::size_t rows() const noexcept { return rows_; }
  std::size_t cols() const noexcept { return cols_; }
  // How many values the span holds; LabelledScores checks it equals rows × cols.
  std::size_t size() const noexcept;

  // Calls fn(index, value) for every value in order, widened to double, with one dispatch on
  // the element type for the whole matrix rather than one per value.
  template <typename Fn>
  void for_each_value(Fn&& fn) const {
    std::visit(
        [&](auto values) {
          for (std::size_t i = 0; i < values.size(); ++i) fn(i, static_cast<double>(values[i]));
        },
        values_);
  }

 private:
  std::variant<std::span<const float>, std::span<const double>> values_;
  std::size_t rows_;
  std::size_t cols_;
};

}  // namespace chorus::metrics
