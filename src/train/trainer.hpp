#pragma once
// A training run: the loader's batches → the network → the loss → AdamW on the warmup-cosine
// schedule (gradient clipping, EMA of the weights) — and after each epoch the held-out fold
// through the Predictor, <out>/last.ckpt, <out>/best.ckpt (by train.best_metric, over the trained
// and the EMA weights), <out>/train_log.jsonl and <out>/train_state.safetensors for --resume.
//
// Reproducibility: the network is initialised from train.seed, and every epoch reseeds LibTorch
// (dropout, stochastic depth) and the loader (crops, augmentations) from (seed, epoch), so a run
// resumed after epoch k continues exactly as the uninterrupted one (same thread count).

#include <filesystem>
#include <vector>

#include "data/dataset.hpp"
#include "features/feature_store.hpp"
#include "train/experiment_config.hpp"
#include "train/train_observer.hpp"

namespace chorus::train {

class Distributed;

struct TrainSetup {
  ExperimentConfig config;
  data::Dataset dataset;
  std::vector<std::size_t> train_items;
  std::vector<std::size_t> validation_items;  // empty: no validation (best = last)
  // The fold validation_items are (−1: none), recorded in the checkpoints with the dataset's
  // data::fold_digest for out-of-fold labelling.
  int held_out_fold = -1;
  std::filesystem::path out_dir;
  int threads = 1;            // LibTorch's intra-op threads and the validator's
  bool resume = false;        // continue from out_dir/train_state.safetensors
  int stop_after_epochs = 0;  // > 0: leave after this many epochs, state saved (a planned kill)
  const features::FeatureStore* cache = nullptr;  // cached mel power of dataset.files, or decode
  Distributed* distributed = nullptr;             // multi-process data parallel; null: one process
  TrainObserver* observer = nullptr;              // what the run reports to; null: nothing
};

struct TrainResult {
  int epochs_done = 0;
  int best_epoch = -1;
  double best_score = 0;  // train.best_metric at best_epoch (NaN: never validated)
  std::filesystem::path best_checkpoint, last_checkpoint;
  std::vector<std::string> load_failures;  // recordings skipped because they failed to load
};

TrainResult train(const TrainSetup& setup);

}  // namespace chorus::train
