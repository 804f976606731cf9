#pragma once
// What a killed training run needs to continue exactly where its last finished epoch left off:
// the weights, the optimiser's moments and step counts, the EMA weights, the position (epochs
// done, optimiser steps taken — the learning-rate schedule is a function of the step), the best
// validation score so far and the resolved configuration (a resume under another configuration
// is refused). Random state needs no saving: every epoch reseeds LibTorch and the loader from
// (seed, epoch). One safetensors file, written atomically after each epoch.

#include <filesystem>
#include <string>

#include "models/safetensors.hpp"

namespace chorus::train {

struct TrainingState {
  int epochs_done = 0;
  std::int64_t step = 0;
  double best_score = 0;  // NaN: no validation yet
  int best_epoch = -1;
  std::string config;                       // the resolved configuration, TOML
  models::TensorMap model, optimizer, ema;  // ema empty when train.ema_decay = 0

  void write(const std::filesystem::path& path) const;
  // FormatError when the file is not a chorus training state.
  static TrainingState read(const std::filesystem::path& path);
};

}  // namespace chorus::train
