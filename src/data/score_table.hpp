#pragma once
// A Kaggle submission or a prediction file: `row_id` and one column of scores per class
// (BirdCLEF: probabilities per 5 s chunk; any finite number is accepted, logits included,
// since the ranking metrics do not depend on the scale).

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace chorus::data {

struct ScoreTable {
  std::string path;
  std::vector<std::string> classes;  // every column but row_id, in file order
  std::vector<std::string> row_ids;  // unique, in file order
  std::vector<int> lines;            // physical line of each row, for messages
  std::vector<double> scores;        // row-major, rows × classes

  std::size_t rows() const { return row_ids.size(); }
  double score(std::size_t row, std::size_t cls) const {
    return scores[row * classes.size() + cls];
  }
};

// Throws FormatError with the file (and line) for: a missing row_id column, no class column,
// an empty or repeated column name, an empty or duplicated row_id, a ragged row, a score that
// is not a finite number (NaN, Inf, text, an empty cell), or a file without rows.
ScoreTable read_score_table(const std::filesystem::path& path);

}  // namespace chorus::data
