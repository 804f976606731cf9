#pragma once
// A labelled dataset folder in whichever layout it has: RFCX (train_tp.csv, optionally
// train_fp.csv, and train/*.flac), BirdCLEF (train_metadata.csv, or another clip table, and
// train_audio/, with taxonomy.csv naming the classes when present) or recordings annotated with
// Raven selection tables (data/raven_dataset.hpp), plus data.nocall_dir's
// recordings as all-zero items and data.pseudo_labels' chunks as items (data/pseudo_items.hpp),
// in that order; data.teacher is read (its names mapped through the classes and the folder's
// taxonomy.csv) for the trainer to apply to each fold's training items (data/teacher_labels.hpp).

#include <cstddef>
#include <filesystem>
#include <optional>

#include "data/data_config.hpp"
#include "data/dataset.hpp"
#include "data/pseudo_items.hpp"
#include "data/raven_dataset.hpp"
#include "formats/teacher_table.hpp"

namespace chorus::data {

struct OpenedDataset {
  Dataset dataset;
  std::size_t nocall_recordings = 0;             // from data.nocall_dir
  std::size_t nocall_items = 0;                  // one per training window of each
  std::optional<formats::TeacherTable> teacher;  // data.teacher
  PseudoItemsAdded pseudo;                       // from data.pseudo_labels
  // A Raven-annotated folder: its counts (its dataset moved into `dataset`).
  std::optional<RavenDataset> raven;
};

// `metadata`: a clip table to use instead of DIR/train_metadata.csv (empty: that one); a
// ConfigError with an RFCX folder, which has none.
OpenedDataset open_dataset(const std::filesystem::path& dir, const std::filesystem::path& metadata,
                           const DataConfig& config, int threads);

}  // namespace chorus::data
