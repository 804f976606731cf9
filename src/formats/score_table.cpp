#include "formats/score_table.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "formats/csv_table.hpp"
#include "formats/row_id_column.hpp"

namespace chorus::formats {

ScoreTable read_score_table(const std::filesystem::path& path) {
  const CsvTable table = CsvTable::read(path);
  ScoreTable scores;
  scores.path = table.path();
  const std::size_t row_id = submission_id_column(table);
  scores.row_ids = read_row_ids(table, row_id);

  std::vector<std::size_t> class_columns;
  const std::vector<std::string>& header = table.header();
  for (std::size_t column = 0; column < header.size(); ++column) {
    if (column == row_id) continue;
    const std::string& name = header[column];
    CHORUS_CHECK_AS(FormatError, !name.empty(), "{}:1: column {} has no name", scores.path,
                    column + 1);
    // (Columns are matched to the truth by name; CsvTable::read refuses a repeated one.)
    scores.classes.push_back(name);
    class_columns.push_back(column);
  }
  CHORUS_CHECK_AS(FormatError, !scores.classes.empty(), "{}: no class columns besides {}",
                  scores.path, header[row_id]);

  scores.scores.reserve(table.rows() * class_columns.size());
  for (std::size_t row = 0; row < table.rows(); ++row) {
    for (std::size_t column : class_columns) scores.scores.push_back(table.number(row, column));
    scores.lines.push_back(table.line(row));
  }
  return scores;
}

}  // namespace chorus::formats
