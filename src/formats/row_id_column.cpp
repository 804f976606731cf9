#include "formats/row_id_column.hpp"

#include <fmt/format.h>

#include <charconv>
#include <unordered_map>

#include "core/error.hpp"

namespace chorus::formats {

std::vector<std::string> read_row_ids(const CsvTable& table, std::size_t column) {
  const std::string& name = table.header()[column];
  CHORUS_CHECK_AS(FormatError, table.rows() > 0, "{}: no rows below the header", table.path());
  std::vector<std::string> row_ids;
  row_ids.reserve(table.rows());
  std::unordered_map<std::string_view, std::size_t> first_row;
  first_row.reserve(table.rows());
  for (std::size_t row = 0; row < table.rows(); ++row) {
    const std::string& id = table.at(row, column);
    if (id.empty()) table.fail(row, fmt::format("empty {}", name));
    const auto [it, inserted] = first_row.emplace(id, row);
    if (!inserted)
      table.fail(row, fmt::format("duplicated {} '{}' (first on line {})", name, id,
                                  table.line(it->second)));
    row_ids.push_back(id);
  }
  return row_ids;
}

std::vector<std::string> read_row_ids(const CsvTable& table) {
  return read_row_ids(table, table.column("row_id"));
}

std::size_t submission_id_column(const CsvTable& table) {
  const std::size_t column = table.column({"row_id", "recording_id"});
  CHORUS_CHECK_AS(FormatError, !(table.find_column("row_id") && table.find_column("recording_id")),
                  "{}:1: both row_id and recording_id columns; a submission is keyed by one",
                  table.path());
  return column;
}

ChunkRowId split_chunk_row_id(const std::string& row_id, const std::string& where) {
  const auto underscore = row_id.rfind('_');
  double end = 0;
  const char* first = row_id.data() + underscore + 1;
  const char* last = row_id.data() + row_id.size();
  const bool ok = underscore != std::string::npos && std::from_chars(first, last, end).ptr == last;
  CHORUS_CHECK_AS(FormatError, ok, "{}: row_id '{}' is not <recording>_<end second>", where,
                  row_id);
  return {row_id.substr(0, underscore), end};
}

}  // namespace chorus::formats
