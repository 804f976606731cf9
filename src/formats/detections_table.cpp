#include "formats/detections_table.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <set>
#include <system_error>

#include "core/error.hpp"
#include "formats/csv_table.hpp"

namespace chorus::formats {
namespace {

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code error;
  const bool same = std::filesystem::equivalent(a, b, error);
  return !error && same;
}

}  // namespace

std::vector<DetectionRow> read_detections_csv(const std::filesystem::path& path) {
  const CsvTable table = CsvTable::read(path);
  const std::size_t recording = table.column("recording"), cls = table.column("class"),
                    start = table.column("start_s"), end = table.column("end_s"),
                    score = table.column("score");
  std::vector<DetectionRow> rows;
  rows.reserve(table.rows());
  for (std::size_t row = 0; row < table.rows(); ++row) {
    DetectionRow d{.recording = table.text(row, recording),
                   .cls = table.text(row, cls),
                   .start_seconds = table.number(row, start),
                   .end_seconds = table.number(row, end),
                   .score = table.number(row, score),
                   .line = table.line(row)};
    if (d.start_seconds < 0)
      table.fail(row, fmt::format("start_s {} is negative", d.start_seconds));
    if (!(d.end_seconds > d.start_seconds))
      table.fail(row,
                 fmt::format("end_s {} is not after start_s {}", d.end_seconds, d.start_seconds));
    rows.push_back(std::move(d));
  }
  return rows;
}

std::vector<DetectionRow> detections_of(const std::vector<DetectionRow>& rows,
                                        const std::filesystem::path& audio_file,
                                        const std::filesystem::path& table_path) {
  std::vector<DetectionRow> same, same_name;
  std::set<std::string> recordings_named;
  const std::filesystem::path name = audio_file.filename();
  for (const DetectionRow& row : rows) {
    if (row.recording == audio_file.string() || same_file(row.recording, audio_file))
      same.push_back(row);
    else if (std::filesystem::path(row.recording).filename() == name) {
      same_name.push_back(row);
      recordings_named.insert(row.recording);
    }
  }
  if (!same.empty()) return same;
  CHORUS_CHECK(recordings_named.size() <= 1,
               "{}: {} recordings are named {} ({}) and none is {}: run from the directory that "
               "chorus predict ran in",
               table_path.string(), recordings_named.size(), name.string(),
               fmt::join(recordings_named, ", "), audio_file.string());
  return same_name;
}

}  // namespace chorus::formats
