#pragma once
// Validation after an epoch: the held-out recordings go through the same Predictor as
// `chorus predict` (chunks, context windows, activation and post-processing from the [infer] and
// [postprocess] sections), each recording's row is the maximum over its chunks, and the
// competition metrics are computed against the items' truth. A metric that is undefined on the
// data (no class with both positives and negatives, no positive row) is NaN rather than an error,
// so a small fold still trains.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "infer/predictor.hpp"
#include "infer/window_scorer.hpp"
#include "train/train_config.hpp"
#include "train/validation_set.hpp"

namespace chorus::train {

struct ValidationMetrics {
  double roc_auc = 0;   // macro ROC-AUC (BirdCLEF 2024)
  double cmap = 0;      // padded cmAP (BirdCLEF 2022/2023)
  double lwlrap = 0;    // RFCX 2021
  double accuracy = 0;  // top-1 accuracy (clip classification: ESC-50)
  std::size_t recordings = 0;
  std::vector<std::string> failures;  // recordings that could not be scored, with the reason
  double seconds = 0;  // wall time of the validation pass (one pass serves every scorer)

  // The metric train.best_metric names (not BestMetric::loss: validation has no loss).
  double get(BestMetric metric) const;
};

class Validator {
 public:
  Validator(ValidationSet set, infer::PredictorOptions options);

  const ValidationSet& set() const { return set_; }
  // Scores every recording with each scorer (their networks in eval mode) on options.threads
  // threads: one decode and one spectrogram per recording serve every scorer (the trained and
  // the EMA weights). Metrics by scorer name.
  std::map<std::string, ValidationMetrics> run(
      const std::map<std::string, std::shared_ptr<infer::WindowScorer>>& scorers) const;

 private:
  ValidationSet set_;
  infer::PredictorOptions options_;
};

}  // namespace chorus::train
