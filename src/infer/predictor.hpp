#pragma once
// The one code path from a recording to its chunk scores, shared by `chorus predict` and
// training validation:
//   decode → mel power of the whole file (once per distinct audio/feature settings among the
//   members) → for each window, its frames sliced from that spectrogram, then the dB scale,
//   top_db floor and normalisation of the window on its own → batches → each member's logits →
//   activation → chunk scores (context: one window; sliding: max or mean of its windows) →
//   ensemble expression → temporal post-processing.
// With infer.per_window_spectrogram each window's spectrogram is instead computed from its own
// zero-padded samples, as the Python pipelines do (slower; equal to them to float rounding).
// Slicing differs from that only in the frames that straddle a file edge (reflect padding of the
// file vs zeros of the window).

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "infer/ensemble.hpp"
#include "infer/infer_config.hpp"
#include "infer/postprocess.hpp"
#include "infer/recording_scores.hpp"
#include "infer/window_scorer.hpp"

namespace chorus::infer {

struct PredictorOptions {
  InferConfig infer;
  PostprocessConfig postprocess;
  std::string ensemble;  // expression over member names; empty: mean of all members
  int threads = 1;
  int batch_size = 16;   // windows per forward pass
};

class Predictor {
 public:
  // Members by name; all must share one class list (align checkpoints first).
  Predictor(std::map<std::string, std::shared_ptr<WindowScorer>> members, PredictorOptions options);

  const std::vector<std::string>& classes() const { return classes_; }
  RecordingScores predict(const std::filesystem::path& file) const;

 private:
  std::map<std::string, std::shared_ptr<WindowScorer>> members_;
  PredictorOptions options_;
  EnsembleExpression ensemble_;
  std::vector<std::string> classes_;
  std::vector<double> priors_;  // odds factor per class; empty: none
};

}  // namespace chorus::infer
