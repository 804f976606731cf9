#include "formats/clip_metadata.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_map>

#include "core/error.hpp"
#include "formats/csv_table.hpp"
#include "formats/data_paths.hpp"
#include "formats/python_list.hpp"

namespace chorus::formats {
namespace {

// The columns ClipRecord has a field for; every other column goes to ClipRecord::extra.
constexpr std::array<std::string_view, 7> kKnownColumns = {
    "primary_label", "secondary_labels", "type", "rating", "filename", "latitude", "longitude"};

std::vector<std::string> string_list(const CsvTable& table, std::size_t row, std::size_t column) {
  const std::string& cell = table.at(row, column);
  const std::string& name = table.header()[column];
  if (cell.empty()) table.fail(row, fmt::format("column '{}' is empty (write [] for none)", name));
  try {
    return parse_python_string_list(cell);
  } catch (const FormatError& e) {
    table.fail(row, fmt::format("column '{}': malformed list {}: {}", name, cell, e.what()));
  }
}

std::optional<double> number_within(const CsvTable& table, std::size_t row,
                                    std::optional<std::size_t> column, double low, double high) {
  if (!column) return std::nullopt;
  const auto value = table.optional_number(row, *column);
  if (value && (*value < low || *value > high))
    table.fail(row, fmt::format("column '{}': {} is outside [{}, {}]", table.header()[*column],
                                *value, low, high));
  return value;
}

}  // namespace

ClipMetadata ClipMetadata::read(const std::filesystem::path& path) {
  const CsvTable table = CsvTable::read(path);
  const std::size_t primary = table.column("primary_label");
  const std::size_t filename = table.column("filename");
  const auto secondary = table.find_column("secondary_labels");
  const auto type = table.find_column("type");
  const auto rating = table.find_column("rating");
  const auto latitude = table.find_column("latitude");
  const auto longitude = table.find_column("longitude");
  CHORUS_CHECK_AS(FormatError, table.rows() > 0, "{}: no clips (only a header)", table.path());

  ClipMetadata metadata;
  metadata.path = table.path();
  std::vector<std::size_t> extra_indices;
  // (Two columns of one name are refused by CsvTable::read.)
  for (std::size_t c = 0; c < table.header().size(); ++c) {
    const std::string& name = table.header()[c];
    if (std::find(kKnownColumns.begin(), kKnownColumns.end(), name) != kKnownColumns.end())
      continue;
    metadata.extra_columns.push_back(name);
    extra_indices.push_back(c);
  }

  std::unordered_map<std::string_view, int> first_line_of_file;
  metadata.records.reserve(table.rows());
  for (std::size_t row = 0; row < table.rows(); ++row) {
    ClipRecord& r = metadata.records.emplace_back();
    r.line = table.line(row);
    r.primary_label = table.text(row, primary);
    r.filename = table.text(row, filename);
    const auto [first, inserted] = first_line_of_file.emplace(table.at(row, filename), r.line);
    if (!inserted)
      table.fail(row, fmt::format("filename '{}' is listed twice (first at line {})", r.filename,
                                  first->second));
    if (secondary) r.secondary_labels = string_list(table, row, *secondary);
    for (const std::string& label : r.secondary_labels)
      if (label.empty())
        table.fail(row, fmt::format("column 'secondary_labels': empty label in {}",
                                    table.at(row, *secondary)));
    if (type) r.call_types = string_list(table, row, *type);
    r.rating = number_within(table, row, rating, 0, 5);
    r.latitude = number_within(table, row, latitude, -90, 90);
    r.longitude = number_within(table, row, longitude, -180, 180);
    for (std::size_t i = 0; i < extra_indices.size(); ++i)
      r.extra.emplace(metadata.extra_columns[i], table.at(row, extra_indices[i]));
  }
  return metadata;
}

std::string ClipMetadata::where(const ClipRecord& record) const {
  return fmt::format("{}:{}", path, record.line);
}

std::filesystem::path ClipMetadata::audio_path(const ClipRecord& record,
                                               const std::filesystem::path& audio_root) const {
  return resolve_data_path(audio_root, record.filename, where(record));
}

}  // namespace chorus::formats
