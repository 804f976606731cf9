#pragma once
// The record of a training run: one JSON object per epoch in <out>/train_log.jsonl (what tools
// and people read back), rewritten whole and atomically after each epoch so a killed run never
// leaves half a line, and cut back to the epochs a resumed run's state holds.

#include <filesystem>
#include <optional>
#include <vector>

#include "train/validator.hpp"

namespace chorus::train {

struct EpochRecord {
  int epoch = 0;                                    // 1-based
  std::int64_t step = 0;                            // optimiser steps taken at its end
  double learning_rate = 0;                         // at its last step
  double train_loss = 0;                            // mean over its batches
  double seconds = 0;                               // wall time of the epoch, validation included
  double data_wait_seconds = 0;                     // time the model waited for batches
  double samples_per_second = 0;                    // training samples (this process)
  std::optional<ValidationMetrics> validation;      // the trained weights
  std::optional<ValidationMetrics> validation_ema;  // the EMA weights
  bool best = false;                                // best.ckpt was written from this epoch
};

// One line for people: "epoch 3/10 loss 0.4123 | val roc_auc 0.912 cmap 0.804 … | 41.0 s …".
std::string describe(const EpochRecord& record, int epochs);

class TrainLog {
 public:
  // Reads an existing log when resuming (keeping epochs ≤ keep_epochs), else starts empty.
  TrainLog(std::filesystem::path path, bool resume, int keep_epochs);

  void append(const EpochRecord& record);
  const std::vector<EpochRecord>& records() const { return records_; }

 private:
  void write() const;

  std::filesystem::path path_;
  std::vector<EpochRecord> records_;
};

}  // namespace chorus::train
