#pragma once
// The id column that keys every Kaggle evaluation table (truth labels, submissions): rows of two
// files are matched by it, so it must be present, non-empty and unique in each file. BirdCLEF
// calls it `row_id`; RFCX submissions key each recording by `recording_id`.

#include <cstddef>
#include <string>
#include <vector>

#include "formats/csv_table.hpp"

namespace chorus::formats {

// The id of every row, in file order, from `column`. Throws FormatError naming the file (and
// line) for a table without rows, an empty id, or one that repeats (with the line of its first
// use); the messages call the id by its column's name.
std::vector<std::string> read_row_ids(const CsvTable& table, std::size_t column);
// The same from the `row_id` column (a FormatError when there is none).
std::vector<std::string> read_row_ids(const CsvTable& table);

// A submission's id column: `row_id` (BirdCLEF) or `recording_id` (RFCX). A FormatError when it
// has neither, or both (which one keys the rows would be a guess).
std::size_t submission_id_column(const CsvTable& table);

// A chunk's row_id, `<recording>_<end second>` (BirdCLEF; chorus predict), split at the last
// underscore: the recording's name may hold underscores itself (20190522_050000_5). A
// FormatError "<where>: row_id '…' is not <recording>_<end second>" otherwise.
struct ChunkRowId {
  std::string recording;
  double end_seconds = 0;
};
ChunkRowId split_chunk_row_id(const std::string& row_id, const std::string& where);

}  // namespace chorus::formats
