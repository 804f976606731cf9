#include "formats/rfcx_annotations.hpp"

#include <fmt/format.h>

#include <limits>

#include "formats/csv_table.hpp"

namespace chorus::formats {
namespace {

int non_negative_id(const CsvTable& table, std::size_t row, std::size_t column) {
  const long long value = table.integer(row, column);
  if (value < 0 || value > std::numeric_limits<int>::max())
    table.fail(row, fmt::format("column '{}': {} is not a non-negative id", table.header()[column],
                                value));
  return static_cast<int>(value);
}

}  // namespace

RfcxAnnotations RfcxAnnotations::read(const std::filesystem::path& path, RfcxKind kind) {
  const CsvTable table = CsvTable::read(path);
  const std::size_t recording = table.column("recording_id");
  const std::size_t species = table.column("species_id");
  const std::size_t songtype = table.column("songtype_id");
  const TimeFrequencyBoxReader boxes(table, "t_min", "t_max", "f_min", "f_max");

  RfcxAnnotations result;
  result.path = table.path();
  result.annotations.reserve(table.rows());
  for (std::size_t row = 0; row < table.rows(); ++row) {
    RfcxAnnotation& a = result.annotations.emplace_back();
    a.recording_id = table.text(row, recording);
    a.species_id = non_negative_id(table, row, species);
    a.songtype_id = non_negative_id(table, row, songtype);
    a.box = boxes.read(row);
    a.positive = kind == RfcxKind::true_positives;
    a.line = table.line(row);
  }
  return result;
}

}  // namespace chorus::formats
