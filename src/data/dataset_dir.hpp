#pragma once
// A training set in BirdCLEF layout: DIR/train_metadata.csv listing clips under DIR/train_audio/
// (what Kaggle ships, what `chorus synth` writes, and ../shared/data's layout).

#include <filesystem>
#include <vector>

#include "formats/clip_metadata.hpp"

namespace chorus::data {

struct DatasetDir {
  std::filesystem::path root;
  formats::ClipMetadata metadata;
  std::vector<std::filesystem::path> audio_files;  // one per metadata record, same order

  // Reads DIR/train_metadata.csv — or `metadata`, another table of the same clips (the one
  // `chorus folds` writes, with a fold column) — and resolves every filename under
  // DIR/train_audio/ (path safety included); a missing file is an error naming the table line.
  static DatasetDir open(const std::filesystem::path& root, std::filesystem::path metadata = {});

  std::filesystem::path metadata_path;  // the table read
};

}  // namespace chorus::data
