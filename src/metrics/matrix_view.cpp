#include "metrics/matrix_view.hpp"

namespace chorus::metrics {

MatrixView::MatrixView(std::span<const float> values, std::size_t rows, std::size_t cols)
    : values_(values), rows_(rows), cols_(cols) {}

MatrixView::MatrixView(std::span<const double> values, std::size_t rows, std::size_t cols)
    : values_(values), rows_(rows), cols_(cols) {}

std::size_t MatrixView::size() const noexcept {
  return std::visit([](auto values) { return values.size(); }, values_);
}

}  // namespace chorus::metrics
