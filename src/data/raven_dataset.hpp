#pragma once
// A folder of recordings annotated in Raven Pro: audio files and Raven selection tables (.txt
// files whose header has `Begin Time (s)`, anywhere below it), as a monitoring programme's
// annotators leave them. As OpenSoundscape's BoxedAnnotations become clip labels, each annotated
// recording is cut into clips of data.window_seconds (segment_spans), and a clip's target is 1
// for every class one of whose boxes overlaps it by at least 0.25 s or half the box (the rule of
// `chorus eval --truth-format raven`), 0 for the others: a recording with a table is taken as
// exhaustively annotated, so a clip without boxes teaches "none of the classes".
//
// - Classes: DIR/taxonomy.csv when present (selections with other labels, "unknown" say, are
//   left out and counted, as OpenSoundscape's class_subset does), else every label of the tables.
// - A selection's recording: its Begin Path or Begin File, else its table's name up to the first
//   dot (`rec.Table.1.selections.txt` is `rec`), matched to the audio file whose path below DIR
//   without extension is that name, ends with "/" + it, or is what it ends with. A name that
//   matches no file, or several, is a FormatError naming the table and line. Audio files that no
//   table names are not used.
// - Folds: the annotated recordings, in name order, take folds 0 to 4 in turn, so --fold K
//   validates on whole recordings the model never heard.

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>

#include "data/data_config.hpp"
#include "data/dataset.hpp"

namespace chorus::data {

inline constexpr int kRavenFolds = 5;

struct RavenDataset {
  Dataset dataset;
  std::size_t tables = 0;
  std::size_t selections = 0;                   // used as labels
  std::map<std::string, std::size_t> left_out;  // label → selections that are not a class
};

// Whether DIR holds Raven tables (and so is read as a Raven-annotated folder when it has neither
// a clip table nor RFCX tables).
bool has_raven_tables(const std::filesystem::path& dir);

RavenDataset open_raven_dataset(const std::filesystem::path& dir, const DataConfig& config,
                                int threads);

}  // namespace chorus::data
