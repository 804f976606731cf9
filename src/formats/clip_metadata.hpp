#pragma once
// BirdCLEF `train_metadata.csv` (`train.csv` from 2025): one row per training clip with its
// primary label, the other species heard in it, and whatever else the year's competition or our
// own tools added (fold, duration_s, author, url …), which is kept by column name.

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace chorus::formats {

struct ClipRecord {
  std::string primary_label;                  // the species the clip was recorded for
  std::vector<std::string> secondary_labels;  // other species heard in it (may be empty)
  std::vector<std::string> call_types;        // `type`: xeno-canto sound types ('song', 'call' …)
  std::optional<double> rating;               // xeno-canto quality 0–5 (0: unrated), if given
  std::string filename;                       // relative to the audio root (train_audio/)
  std::optional<double> latitude;             // degrees north, −90…90, if given
  std::optional<double> longitude;            // degrees east, −180…180, if given
  int line = 0;                               // line in the table, for messages about the clip
  std::map<std::string, std::string, std::less<>> extra;  // every other column, by name
};

struct ClipMetadata {
  std::string path;
  std::vector<std::string> extra_columns;  // the columns kept in ClipRecord::extra, table order
  std::vector<ClipRecord> records;         // in table order, at least one

  // Required columns: primary_label, filename. Optional: secondary_labels and type (Python list
  // literals, see python_list.hpp), rating, latitude, longitude (an empty cell is a missing
  // value). FormatError "<path>:<line>: …" for an empty label or filename, a malformed list, a
  // number that is not one or out of its range, a filename listed twice (the same clip in two
  // folds would leak), a table without rows, and a column name used twice.
  static ClipMetadata read(const std::filesystem::path& path);

  // "<path>:<line>" of a record, the place to name in messages about it.
  std::string where(const ClipRecord& record) const;

  // The record's audio file under `audio_root`, through resolve_data_path (so a filename that
  // is absolute or leaves the root is a FormatError naming this table and the record's line).
  std::filesystem::path audio_path(const ClipRecord& record,
                                   const std::filesystem::path& audio_root) const;
};

}  // namespace chorus::formats
