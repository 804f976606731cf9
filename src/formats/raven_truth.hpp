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

#include "formats/truth_labels.hpp"

namespace chorus::formats {

TruthLabels truth_from_raven(const std::filesystem::path& tables,
                             const std::vector<std::string>& chunk_rows);

// Whether `path` is read as Raven tables: a folder, or a file whose first line has Raven's
// `Begin Time (s)` column.
bool looks_like_raven(const std::filesystem::path& path);

}  // namespace chorus::formats
