#pragma once
// Rainforest Connection (Kaggle 2021) training labels: `train_tp.csv` holds boxes where an
// expert confirmed the species calls, `train_fp.csv` boxes where a template detector fired but
// the species is absent. Both have the columns recording_id, species_id, songtype_id, t_min,
// f_min, t_max, f_max; one reader serves both and marks which kind each box is.

#include <filesystem>
#include <string>
#include <vector>

#include "formats/time_frequency_box.hpp"

namespace chorus::formats {

enum class RfcxKind {
  true_positives,   // train_tp.csv: the species is present in the box
  false_positives,  // train_fp.csv: the species is absent from the box
};

struct RfcxAnnotation {
  std::string recording_id;  // the audio file's stem (`train/<recording_id>.flac`)
  int species_id = 0;        // 0–23 in the competition; any non-negative id is accepted
  int songtype_id = 0;       // 1 or 4 in the competition
  TimeFrequencyBox box;      // t_min/t_max in seconds, f_min/f_max in Hz
  bool positive = true;      // true: from a true-positive table, false: a false-positive one
  int line = 0;              // line in the table, for messages about this box
};

struct RfcxAnnotations {
  std::string path;
  std::vector<RfcxAnnotation> annotations;  // in table order; a header-only table has none

  // FormatError "<path>:<line>: …" for a missing column, an empty recording_id, an id that is
  // not a non-negative integer, and the box checks of TimeFrequencyBoxReader.
  static RfcxAnnotations read(const std::filesystem::path& path, RfcxKind kind);
};

}  // namespace chorus::formats
