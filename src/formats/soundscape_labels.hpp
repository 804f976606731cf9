#pragma once
// The truth of soundscape chunks as Kaggle scores them (BirdCLEF `test_soundscape_labels`,
// chorus's esc50_dev `soundscape_labels.csv`): one row per chunk, keyed by
// `row_id` = `<soundscape>_<end_second>`, with `labels` = the space-separated classes heard in
// it (empty = none). Other columns (soundscape_id, end_second, background …) may be present;
// the background classes of a bed are not targets and are not read.

#include <filesystem>
#include <string>
#include <vector>

namespace chorus::formats {

struct SoundscapeLabels {
  std::string path;
  std::vector<std::string> row_ids;              // unique, in file order
  std::vector<std::vector<std::string>> labels;  // per row; each class once, in file order
  std::vector<int> lines;                        // physical line of each row, for messages
};

// Throws FormatError with the file and line for: a missing row_id or labels column, an empty
// or duplicated row_id, a row_id that disagrees with the row's soundscape_id and end_second
// (checked where both columns exist, since a mismatch means the rows were built wrongly), or a
// file without rows. A class listed twice in one row counts once.
SoundscapeLabels read_soundscape_labels(const std::filesystem::path& path);

}  // namespace chorus::formats
