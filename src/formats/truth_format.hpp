#pragma once
// The truth formats `chorus eval` reads, told apart by their columns, and read into the one
// TruthLabels shape:
//   soundscape  row_id, labels                 BirdCLEF test_soundscape_labels (chunks)
//   metadata    primary_label, filename        BirdCLEF train_metadata.csv (clips)
//   rfcx        recording_id, species_id       RFCX train_tp.csv (+ train_fp.csv)
//   raven       Begin Time (s), End Time (s)   Raven selection tables, a file or a folder
//                                              (boxes over the predictions' chunks:
//                                              raven_truth.hpp)

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/truth_labels.hpp"

namespace chorus::formats {

enum class TruthFormat { soundscape, metadata, rfcx, raven };

std::string_view truth_format_name(TruthFormat format);
// "soundscape", "metadata", "rfcx" or "raven"; nullopt for anything else.
std::optional<TruthFormat> truth_format_from_name(std::string_view name);

// Raven for a folder or a table with Raven's columns; else the one format whose required columns
// the header has. A FormatError listing the columns when none matches, or naming the candidates
// when several do (then the format must be given).
TruthFormat detect_truth_format(const std::filesystem::path& path);

struct TruthFiles {
  std::filesystem::path labels;                // --truth
  std::optional<TruthFormat> format;           // nullopt: detect_truth_format
  std::filesystem::path rfcx_false_positives;  // empty: none (RFCX only)
  std::vector<std::string> chunk_rows;         // raven: the predictions' row_ids, to label
};

// Reads the files with their format's reader and brings them to TruthLabels. A FormatError
// when a false-positive table comes with a format other than rfcx.
TruthLabels read_truth(const TruthFiles& files);

}  // namespace chorus::formats
