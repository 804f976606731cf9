#include "formats/soundscape_labels.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "formats/csv_table.hpp"
#include "formats/row_id_column.hpp"

namespace chorus::formats {
namespace {

// Space-separated names; runs of spaces (a hand-edited file) separate like one.
std::vector<std::string> split_labels(const std::string& text) {
  std::vector<std::string> labels;
  std::size_t start = 0;
  while ((start = text.find_first_not_of(' ', start)) != std::string::npos) {
    const std::size_t end = std::min(text.find(' ', start), text.size());
    std::string label = text.substr(start, end - start);
    if (std::find(labels.begin(), labels.end(), label) == labels.end())
      labels.push_back(std::move(label));
    start = end;
  }
  return labels;
}

}  // namespace

SoundscapeLabels read_soundscape_labels(const std::filesystem::path& path) {
  const CsvTable table = CsvTable::read(path);
  SoundscapeLabels truth;
  truth.path = table.path();
  truth.row_ids = read_row_ids(table);
  const std::size_t labels = table.column("labels");

  const std::optional<std::size_t> soundscape = table.find_column("soundscape_id");
  const std::optional<std::size_t> end_second = table.find_column("end_second");
  for (std::size_t row = 0; row < table.rows(); ++row) {
    if (soundscape && end_second) {
      const std::string expected =
          fmt::format("{}_{}", table.at(row, *soundscape), table.at(row, *end_second));
      if (truth.row_ids[row] != expected)
        table.fail(row, fmt::format("row_id '{}' does not match soundscape_id and end_second "
                                    "(expected '{}')",
                                    truth.row_ids[row], expected));
    }
    truth.labels.push_back(split_labels(table.at(row, labels)));
    truth.lines.push_back(table.line(row));
  }
  return truth;
}

}  // namespace chorus::formats
