#include "formats/pseudo_table.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "formats/csv_table.hpp"

namespace chorus::formats {
namespace {

constexpr const char* kRecording = "recording";
constexpr const char* kStart = "start_s";
constexpr const char* kEnd = "end_s";

}  // namespace

PseudoTable read_pseudo_table(const std::filesystem::path& path) {
  const CsvTable csv = CsvTable::read(path);
  const std::size_t recording = csv.column(kRecording), start = csv.column(kStart),
                    end = csv.column(kEnd);
  PseudoTable table;
  std::vector<std::size_t> class_columns;
  for (std::size_t c = 0; c < csv.header().size(); ++c) {
    if (c == recording || c == start || c == end) continue;
    const std::string& name = csv.header()[c];
    CHORUS_CHECK_AS(FormatError, !name.empty(), "{}:1: column {} has no name", path.string(),
                    c + 1);
    table.classes.push_back(name);
    class_columns.push_back(c);
  }
  CHORUS_CHECK_AS(FormatError, !table.classes.empty(),
                  "{}:1: no class column (expected {}, {}, {} "
                  "and one column per class)",
                  path.string(), kRecording, kStart, kEnd);
  table.rows.reserve(csv.rows());
  for (std::size_t row = 0; row < csv.rows(); ++row) {
    PseudoRow r{.recording = csv.text(row, recording),
                .start_seconds = csv.number(row, start),
                .end_seconds = csv.number(row, end),
                .probabilities = {},
                .line = csv.line(row)};
    if (r.start_seconds < 0) csv.fail(row, fmt::format("start_s {} is negative", r.start_seconds));
    if (!(r.end_seconds > r.start_seconds))
      csv.fail(row,
               fmt::format("end_s {} is not after start_s {}", r.end_seconds, r.start_seconds));
    r.probabilities.reserve(class_columns.size());
    for (std::size_t k = 0; k < class_columns.size(); ++k) {
      const double p = csv.number(row, class_columns[k]);
      if (p < 0 || p > 1)
        csv.fail(row, fmt::format("{} = {} is not a probability in [0, 1]", table.classes[k], p));
      r.probabilities.push_back(static_cast<float>(p));
    }
    table.rows.push_back(std::move(r));
  }
  return table;
}

void write_pseudo_table(const std::filesystem::path& path, const PseudoTable& table) {
  std::vector<std::string> header{kRecording, kStart, kEnd};
  header.insert(header.end(), table.classes.begin(), table.classes.end());
  std::vector<std::vector<std::string>> rows;
  rows.reserve(table.rows.size());
  for (const PseudoRow& r : table.rows) {
    CHORUS_CHECK(r.probabilities.size() == table.classes.size(),
                 "pseudo row of {} at {} s: {} probabilities for {} classes", r.recording,
                 r.start_seconds, r.probabilities.size(), table.classes.size());
    std::vector<std::string> cells{r.recording, fmt::format("{}", r.start_seconds),
                                   fmt::format("{}", r.end_seconds)};
    for (float p : r.probabilities) cells.push_back(fmt::format("{}", p));
    rows.push_back(std::move(cells));
  }
  write_csv(path, header, rows);
}

}  // namespace chorus::formats
