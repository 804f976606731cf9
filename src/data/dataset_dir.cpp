#include "data/dataset_dir.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace chorus::data {

DatasetDir DatasetDir::open(const std::filesystem::path& root, std::filesystem::path metadata) {
  CHORUS_CHECK_AS(IoError, std::filesystem::is_directory(root), "{}: no such dataset directory",
                  root.string());
  DatasetDir d;
  d.root = root;
  const bool own_table = metadata.empty();
  d.metadata_path = own_table ? root / "train_metadata.csv" : std::move(metadata);
  const auto& table = d.metadata_path;
  CHORUS_CHECK_AS(
      IoError, std::filesystem::exists(table), "{}",
      own_table ? fmt::format("{}: not a dataset directory (no train_metadata.csv)", root.string())
                : fmt::format("{}: no such metadata table", table.string()));
  d.metadata = formats::ClipMetadata::read(table);
  for (const formats::ClipRecord& record : d.metadata.records) {
    std::filesystem::path file = d.metadata.audio_path(record, root / "train_audio");
    CHORUS_CHECK_AS(IoError, std::filesystem::exists(file), "{}: {} does not exist",
                    d.metadata.where(record), file.string());
    d.audio_files.push_back(std::move(file));
  }
  return d;
}

}  // namespace chorus::data
