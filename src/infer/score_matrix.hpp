#pragma once
// Scores of one recording (or many): rows = chunks, columns = classes, row-major float.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace chorus::infer {

struct ScoreMatrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<float> values;

  ScoreMatrix() = default;
  ScoreMatrix(std::size_t r, std::size_t c, float fill = 0.0f)
      : rows(r), cols(c), values(r * c, fill) {}
  float& at(std::size_t r, std::size_t c) { return values[r * cols + c]; }
  float at(std::size_t r, std::size_t c) const { return values[r * cols + c]; }
  std::span<float> row(std::size_t r) { return {values.data() + r * cols, cols}; }
  std::span<const float> row(std::size_t r) const { return {values.data() + r * cols, cols}; }
};

}  // namespace chorus::infer
