#pragma once
// A Kaggle submission or a prediction file: an id column and one column of scores per class
// (BirdCLEF: `row_id` and probabilities per 5 s chunk; RFCX: `recording_id` and `s0`…`s23`; any
// finite number is accepted, logits included, since the ranking metrics do not depend on the
// scale).

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace chorus::formats {

struct ScoreTable {
  std::string path;
  std::vector<std::string> classes;  // every column but the id column, in file order
  std::vector<std::string> row_ids;  // the id column (row_id or recording_id): unique, file order
  std::vector<int> lines;            // physical line of each row, for messages
  std::vector<double> scores;        // row-major, rows × classes

  std::size_t rows() const { return row_ids.size(); }
  double score(std::size_t row, std::size_t cls) const {
    return scores[row * classes.size() + cls];
  }
};

// Throws FormatError with the file (and line) for: neither or both of row_id and recording_id
// (submission_id_column), no class column,
// an empty or repeated column name, an empty or duplicated row_id, a ragged row, a score that
// is not a finite number (NaN, Inf, text, an empty cell), or a file without rows.
ScoreTable read_score_table(const std::filesystem::path& path);

}  // namespace chorus::formats
