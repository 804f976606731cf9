#include "formats/raven_table.hpp"

#include <fmt/format.h>

#include "formats/csv_table.hpp"

namespace chorus::formats {

TimeFrequencyBox RavenSelection::box_in_file() const {
  if (!file_offset_s) return box;
  TimeFrequencyBox in_file = box;
  in_file.begin_s = *file_offset_s;
  in_file.end_s = *file_offset_s + (box.end_s - box.begin_s);
  return in_file;
}

RavenTable RavenTable::read(const std::filesystem::path& path, std::string_view label_column) {
  const CsvTable table = CsvTable::read(path, '\t');
  const std::size_t label = label_column.empty()
                                ? table.column({"Species", "species", "Annotation", "Label",
                                                "label", "Class", "Species Code", "Common Name"})
                                : table.column(label_column);
  const TimeFrequencyBoxReader boxes(table, "Begin Time (s)", "End Time (s)", "Low Freq (Hz)",
                                     "High Freq (Hz)");
  const auto view = table.find_column("View");
  const auto begin_file = table.find_column("Begin File");
  const auto file_offset = table.find_column("File Offset (s)");
  const auto begin_path = table.find_column("Begin Path");
  const auto confidence = table.find_column("Confidence");

  RavenTable result;
  result.path = table.path();
  result.label_column = table.header()[label];
  for (std::size_t row = 0; row < table.rows(); ++row) {
    if (view && table.at(row, *view).starts_with("Waveform")) continue;
    RavenSelection& s = result.selections.emplace_back();
    s.box = boxes.read(row);
    s.label = table.text(row, label);
    if (begin_file) s.begin_file = table.text(row, *begin_file);
    if (file_offset) s.file_offset_s = non_negative_number(table, row, *file_offset);
    if (begin_path) s.begin_path = table.text(row, *begin_path);
    if (confidence) {
      s.confidence = table.number(row, *confidence);
      if (*s.confidence < 0 || *s.confidence > 1)
        table.fail(row, fmt::format("Confidence {} is not in [0, 1]", *s.confidence));
    }
    s.line = table.line(row);
  }
  return result;
}

}  // namespace chorus::formats
