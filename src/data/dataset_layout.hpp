#pragma once
// A labelled dataset folder in whichever layout it has: RFCX (train_tp.csv, optionally
// train_fp.csv, and train/*.flac) or BirdCLEF (train_metadata.csv, or another clip table, and
// train_audio/, with taxonomy.csv naming the classes when present), plus data.nocall_dir's
// recordings as all-zero items, data.teacher blended into the targets, and data.pseudo_labels'
// chunks as items (data/pseudo_items.hpp), in that order.

#include <cstddef>
#include <filesystem>

#include "data/data_config.hpp"
#include "data/dataset.hpp"
#include "data/pseudo_items.hpp"

namespace chorus::data {

struct OpenedDataset {
  Dataset dataset;
  std::size_t nocall_recordings = 0;  // from data.nocall_dir
  std::size_t nocall_items = 0;       // one per training window of each
  TeacherBlend teacher;               // data.teacher blended into the items
  PseudoItemsAdded pseudo;            // from data.pseudo_labels
};

// `metadata`: a clip table to use instead of DIR/train_metadata.csv (empty: that one); a
// ConfigError with an RFCX folder, which has none.
OpenedDataset open_dataset(const std::filesystem::path& dir, const std::filesystem::path& metadata,
                           const DataConfig& config, int threads);

}  // namespace chorus::data
