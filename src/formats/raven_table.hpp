#pragma once
// Raven Pro selection tables (`*.selections.txt`): tab-separated, one row per selection with
// `Begin Time (s)`, `End Time (s)`, `Low Freq (Hz)`, `High Freq (Hz)` and an annotation column
// whose name each lab chooses. Tables made over a sequence of files add `Begin File` and
// `File Offset (s)`.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/time_frequency_box.hpp"

namespace chorus::formats {

struct RavenSelection {
  TimeFrequencyBox box;                 // as in the table: time from the start of the sequence
  std::string label;                    // the annotation column's text (never empty)
  std::string begin_file;               // `Begin File`; empty when the table has no such column
  std::string begin_path;               // `Begin Path` (the file's path); empty when none
  std::optional<double> confidence;     // `Confidence` (BirdNET-Analyzer's tables), in [0, 1]
  std::optional<double> file_offset_s;  // `File Offset (s)`: the begin time inside begin_file
  int line = 0;                         // line in the table, for messages about this selection

  // The box in the time of begin_file: Raven counts Begin Time from the start of the first file
  // of a sequence, and the file offset says where the selection starts in its own file. Without
  // an offset the table covers one file and the box is returned as it is.
  TimeFrequencyBox box_in_file() const;
};

struct RavenTable {
  std::string path;
  std::string label_column;                // the column the labels were read from
  std::vector<RavenSelection> selections;  // in table order; a table with none is valid

  // The label column is `label_column` when given; otherwise the first of Species, species,
  // Annotation, Label, label, Class, Species Code, Common Name (the last two BirdNET-Analyzer's)
  // that the table has. Rows of a `View` named "Waveform …" are
  // skipped: Raven lists each selection once per view, and the waveform row repeats the
  // spectrogram row (often without frequencies). FormatError "<path>:<line>: …" for a missing
  // column, an empty label and the box checks of TimeFrequencyBoxReader.
  static RavenTable read(const std::filesystem::path& path, std::string_view label_column = {});
};

}  // namespace chorus::formats
