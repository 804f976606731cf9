#pragma once
// Small matrices written out row by row in the tests, turned into the metrics' input.

#include <initializer_list>
#include <vector>

#include "metrics/labelled_scores.hpp"

namespace chorus::metrics::test_support {

using Rows = std::initializer_list<std::initializer_list<double>>;

struct Flat {
  std::vector<double> values;
  std::size_t rows = 0;
  std::size_t cols = 0;
  MatrixView view() const { return MatrixView(values, rows, cols); }
};

inline Flat flatten(Rows rows) {
  Flat flat;
  flat.rows = rows.size();
  flat.cols = rows.size() == 0 ? 0 : rows.begin()->size();
  for (const auto& row : rows) flat.values.insert(flat.values.end(), row.begin(), row.end());
  return flat;
}

inline LabelledScores labelled(Rows scores, Rows truth) {
  return LabelledScores(flatten(scores).view(), flatten(truth).view());
}

inline LabelledScores labelled(Rows scores, Rows truth, Rows mask) {
  return LabelledScores(flatten(scores).view(), flatten(truth).view(), flatten(mask).view());
}

}  // namespace chorus::metrics::test_support
