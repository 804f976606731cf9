#pragma once
// The `row_id` column that keys every Kaggle soundscape table (truth labels, submissions): rows
// of two files are matched by it, so it must be present, non-empty and unique in each file.

#include <string>
#include <vector>

#include "data/csv_table.hpp"

namespace chorus::data {

// The row_id of every row, in file order. Throws FormatError naming the file (and line) for a
// missing row_id column, a table without rows, an empty row_id, or one that repeats (with the
// line of its first use).
std::vector<std::string> read_row_ids(const CsvTable& table);

}  // namespace chorus::data
