#include "data/dataset_layout.hpp"

#include "audio/audio_files.hpp"
#include "core/error.hpp"
#include "data/dataset_dir.hpp"
#include "data/raven_dataset.hpp"
#include "formats/class_list.hpp"
#include "formats/rfcx_annotations.hpp"

namespace chorus::data {
namespace {

namespace fs = std::filesystem;

Dataset open_rfcx(const fs::path& dir) {
  const auto tp =
      formats::RfcxAnnotations::read(dir / "train_tp.csv", formats::RfcxKind::true_positives);
  const auto fp =
      fs::exists(dir / "train_fp.csv")
          ? formats::RfcxAnnotations::read(dir / "train_fp.csv", formats::RfcxKind::false_positives)
          : formats::RfcxAnnotations{};
  return Dataset::from_rfcx(tp, fp, dir / "train", ".flac");
}

Dataset open_clips(const fs::path& dir, const fs::path& metadata, const DataConfig& config,
                   int threads) {
  const DatasetDir clips = DatasetDir::open(dir, metadata);
  const fs::path taxonomy = dir / "taxonomy.csv";
  const bool has_taxonomy = fs::exists(taxonomy);
  const formats::ClassList classes = has_taxonomy
                                         ? formats::ClassList::from_taxonomy(taxonomy)
                                         : formats::ClassList::from_metadata(clips.metadata);
  Dataset dataset = Dataset::from_clips(clips, classes, config, threads);
  if (has_taxonomy) dataset.names = formats::SpeciesNames::from_taxonomy(classes, taxonomy);
  return dataset;
}

}  // namespace

OpenedDataset open_dataset(const fs::path& dir, const fs::path& metadata, const DataConfig& config,
                           int threads) {
  const bool rfcx = fs::exists(dir / "train_tp.csv");
  CHORUS_CHECK_AS(ConfigError, !rfcx || metadata.empty(),
                  "{}: a clip table ({}) applies to the BirdCLEF layout, and this folder has the "
                  "RFCX one (train_tp.csv)",
                  dir.string(), metadata.string());
  OpenedDataset opened;
  // Raven: neither a clip table nor RFCX tables, but selection tables beside the recordings.
  const bool raven =
      !rfcx && metadata.empty() && !fs::exists(dir / "train_metadata.csv") && has_raven_tables(dir);
  if (raven) {
    RavenDataset annotated = open_raven_dataset(dir, config, threads);
    opened.dataset = std::move(annotated.dataset);
    annotated.dataset = {};
    opened.raven = std::move(annotated);
  } else {
    opened.dataset = rfcx ? open_rfcx(dir) : open_clips(dir, metadata, config, threads);
  }
  if (!config.nocall_dir.empty()) {
    const auto files = audio::collect_audio_files({config.nocall_dir});
    CHORUS_CHECK_AS(IoError, !files.empty(), "data.nocall_dir {}: no audio files",
                    config.nocall_dir);
    const std::size_t before = opened.dataset.items.size();
    opened.dataset.add_nocall_recordings(files, config.window_seconds, threads);
    opened.nocall_recordings = files.size();
    opened.nocall_items = opened.dataset.items.size() - before;
  }
  if (!config.teacher.empty()) {
    formats::ClassNames names(opened.dataset.classes);
    if (fs::exists(dir / "taxonomy.csv")) names.add_taxonomy(dir / "taxonomy.csv");
    opened.teacher = formats::read_teacher_table(config.teacher, opened.dataset.classes, names);
  }
  if (!config.pseudo_labels.empty())
    opened.pseudo =
        add_pseudo_items(opened.dataset, formats::read_pseudo_table(config.pseudo_labels),
                         config.pseudo_weight, config.pseudo_labels);
  return opened;
}

}  // namespace chorus::data
