#pragma once
// Raven Pro selection tables as chunk truth for `chorus eval` (--truth-format raven): the boxes
// an annotator drew become the labels of the prediction chunks they overlap, as OpenSoundscape's
// BoxedAnnotations become clip labels.
//
// The chunks are the predictions' rows (row_id = <recording name>_<end second>; the chunk length
// is the smallest end second, the end of every recording's first chunk). A class is present in a
// chunk where one of its boxes overlaps it by at least 0.25 s, or by at least half the box (a
// short call still labels the chunk holding most of it); every other class is absent, so predict
// only recordings whose every call of every class was annotated.
//
// --truth is one table or a folder of them (searched recursively for .txt files). A selection's
// recording is its Begin Path or Begin File (a table over several files), else the table's own
// name up to its first dot (`x.selections.txt`, BirdNET-Analyzer's `x.BirdNET.selection.table.txt`
// are recording `x`; below a folder, with the subfolders: `SITE_A/x`). It matches the recording
// name of prediction rows that its path ends with. A selection whose recording has no prediction
// rows is a FormatError naming the table and line.

#include <filesystem>
#include <string>
#include <vector>

#include "formats/raven_table.hpp"
#include "formats/time_frequency_box.hpp"
#include "formats/truth_labels.hpp"

namespace chorus::formats {

TruthLabels truth_from_raven(const std::filesystem::path& tables,
                             const std::vector<std::string>& chunk_rows);

// What eval and training from Raven tables share:
// `tables` itself, or the .txt files below it (sorted); a folder without any is a FormatError.
std::vector<std::filesystem::path> raven_table_files(const std::filesystem::path& tables);
// The recording a selection of `table` (found from `root`: a folder, or the table itself)
// belongs to, as a '/'-separated path without extension: its Begin Path, the stem of its Begin
// File, or the table's path below `root` up to the first dot of its name.
std::string selection_recording(const RavenSelection& selection, const std::filesystem::path& table,
                                const std::filesystem::path& root);
// Whether a box labels the span [start_s, end_s): it overlaps it by at least 0.25 s, or by at
// least half the box.
bool box_labels_span(const TimeFrequencyBox& box, double start_s, double end_s);

// Whether `path` is read as Raven tables: a folder, or a file whose first line has Raven's
// `Begin Time (s)` column.
bool looks_like_raven(const std::filesystem::path& path);

}  // namespace chorus::formats
