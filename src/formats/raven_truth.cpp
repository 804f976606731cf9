#include "formats/raven_truth.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>

#include "core/error.hpp"
#include "formats/row_id_column.hpp"

namespace chorus::formats {
namespace {

namespace fs = std::filesystem;

// A box labels a chunk it overlaps by this much, or by half its own length.
constexpr double kMinOverlapSeconds = 0.25;

struct ChunkRow {
  std::string recording;
  double start = 0, end = 0;
};

// The recording a selection without Begin Path or Begin File belongs to: its table's path below
// `root`, up to the first dot of the file name.
std::string table_recording(const fs::path& table, const fs::path& root) {
  const fs::path relative = table == root ? table.filename() : table.lexically_relative(root);
  const std::string file = relative.filename().string();
  return (relative.parent_path() / file.substr(0, file.find('.'))).generic_string();
}

// The prediction recording whose name `key` (a path without its extension) ends with.
std::optional<std::string> match_recording(
    const std::string& key,
    const std::map<std::string, std::vector<std::size_t>>& rows_by_recording) {
  std::optional<std::string> found;
  for (const auto& [name, rows] : rows_by_recording) {
    const bool matches = key == name || (key.size() > name.size() && key.ends_with(name) &&
                                         key[key.size() - name.size() - 1] == '/');
    if (!matches) continue;
    if (found && found->size() >= name.size()) continue;  // the longest name is the most exact
    found = name;
  }
  return found;
}

}  // namespace

std::vector<fs::path> raven_table_files(const fs::path& tables) {
  if (!fs::is_directory(tables)) return {tables};
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(tables))
    if (entry.is_regular_file() && entry.path().extension() == ".txt")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  CHORUS_CHECK_AS(FormatError, !files.empty(), "{}: no Raven tables (.txt) in this folder",
                  tables.string());
  return files;
}

std::string selection_recording(const RavenSelection& s, const fs::path& table,
                                const fs::path& root) {
  if (!s.begin_path.empty()) return fs::path(s.begin_path).replace_extension().generic_string();
  if (!s.begin_file.empty()) return fs::path(s.begin_file).stem().string();
  return table_recording(table, root);
}

bool box_labels_span(const TimeFrequencyBox& box, double start_s, double end_s) {
  const double needed = std::min(kMinOverlapSeconds, (box.end_s - box.begin_s) / 2);
  const double overlap = std::min(box.end_s, end_s) - std::max(box.begin_s, start_s);
  return overlap > 0 && overlap >= needed;
}

bool looks_like_raven(const fs::path& path) {
  if (fs::is_directory(path)) return true;
  std::ifstream in(path);
  std::string header;
  std::getline(in, header);
  return header.find("Begin Time (s)") != std::string::npos;
}

TruthLabels truth_from_raven(const fs::path& tables, const std::vector<std::string>& chunk_rows) {
  TruthLabels truth;
  truth.path = tables.string();
  truth.unlisted = UnlistedClasses::absent;
  std::vector<ChunkRow> chunks;
  std::map<std::string, std::vector<std::size_t>> rows_by_recording;
  double chunk_seconds = 0;
  for (const std::string& id : chunk_rows) {
    const ChunkRowId row = split_chunk_row_id(id, "the predictions");
    chunks.push_back({row.recording, 0, row.end_seconds});
    rows_by_recording[chunks.back().recording].push_back(chunks.size() - 1);
    chunk_seconds =
        chunks.size() == 1 ? chunks.back().end : std::min(chunk_seconds, chunks.back().end);
    truth.rows.push_back({id, {}, {}});
  }
  CHORUS_CHECK_AS(FormatError, chunk_seconds > 0,
                  "the predictions have no rows with a positive end second to label from {}",
                  tables.string());
  for (ChunkRow& c : chunks) c.start = c.end - chunk_seconds;

  for (const fs::path& file : raven_table_files(tables)) {
    const RavenTable table = RavenTable::read(file);
    for (const RavenSelection& s : table.selections) {
      const std::string key = selection_recording(s, file, tables);
      const auto recording = match_recording(key, rows_by_recording);
      if (!recording) {
        std::vector<std::string> some;
        for (const auto& [name, rows] : rows_by_recording)
          if (some.size() < 3) some.push_back(name);
        throw FormatError(fmt::format(
            "{}:{}: the selection's recording '{}' has no rows in the predictions (their "
            "recordings: {}{})",
            file.string(), s.line, key, fmt::join(some, ", "),
            rows_by_recording.size() > some.size() ? ", …" : ""));
      }
      const TimeFrequencyBox box = s.box_in_file();
      for (std::size_t r : rows_by_recording.at(*recording)) {
        if (!box_labels_span(box, chunks[r].start, chunks[r].end)) continue;
        auto& present = truth.rows[r].present;
        if (std::none_of(present.begin(), present.end(),
                         [&](const ClassMention& m) { return m.name == s.label; }))
          present.push_back({s.label, s.line});
      }
    }
  }
  return truth;
}

}  // namespace chorus::formats
