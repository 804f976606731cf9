#pragma once
// The training runs the trainer tests share: a tiny synthetic set (made once per process) and a
// small, fast set-up for it.

#include <filesystem>

#include "data/dataset_dir.hpp"
#include "formats/class_list.hpp"
#include "support/test_support.hpp"
#include "synth/synthetic_dataset.hpp"
#include "train/trainer.hpp"

namespace chorus::testing {

// 3 synthetic species × 12 clips, made once for the whole suite.
inline const std::filesystem::path& tiny_dataset() {
  static TempDir dir;
  static const bool made = [] {
    synth::SyntheticDatasetOptions o;
    o.species = 3;
    o.clips_per_species = 12;
    o.soundscapes = 0;
    o.seed = 11;
    synth::write_synthetic_dataset(dir / "set", o, 2);
    return true;
  }();
  (void)made;
  static const std::filesystem::path root = dir / "set";
  return root;
}

// A small, fast set-up: 32 mels over 5-second windows (a call interval at least), resnet18, a
// handful of steps.
inline train::TrainSetup tiny_setup(const std::filesystem::path& dataset_root,
                                    const std::filesystem::path& out, int epochs) {
  train::TrainSetup s;
  train::ExperimentConfig& c = s.config;
  c.features.n_fft = 512;
  c.features.hop_length = 512;
  c.features.n_mels = 32;
  c.features.normalize = features::Normalization::minmax;
  c.data.window_seconds = 5.0;
  c.infer.chunk_seconds = 5.0;
  c.infer.context_seconds = 5.0;
  c.model.arch = "resnet18";
  c.model.dropout = 0.0;
  c.model.num_classes = 3;
  c.train.epochs = epochs;
  c.train.batch_size = 8;
  c.train.lr = 3e-3;
  c.train.warmup_epochs = 0.5;
  c.train.loss = train::LossKind::bce;
  c.train.workers = 2;
  c.validate();
  const data::DatasetDir dir = data::DatasetDir::open(dataset_root);
  s.dataset =
      data::Dataset::from_clips(dir, formats::ClassList::from_metadata(dir.metadata), c.data, 1);
  // Every third clip held out.
  for (std::size_t i = 0; i < s.dataset.items.size(); ++i)
    (i % 3 == 2 ? s.validation_items : s.train_items).push_back(i);
  s.out_dir = out;
  s.threads = 2;
  return s;
}

}  // namespace chorus::testing
