#pragma once
// The one code path from a recording to its chunk scores, shared by `chorus predict` and
// training validation:
//   read a block of windows' samples from the recording's source (a file opened once, or PCM in
//   memory: infer/recording_source.hpp (64 windows at a time: memory does not grow with the
//   file) → the file's mel frames under the block, once for all overlapping windows and for every
//   member sharing the audio/feature settings → each window's frames from them, except the few a
//   window alone pads differently (its own edges, the file's edges), computed from the window's
//   zero-padded samples → the dB scale, top_db floor and normalisation of each window on its own
//   → batches → each member's logits → activation → chunk scores (context: one window; sliding:
//   max or mean of its windows) → ensemble expression → temporal post-processing.
// In SED mode (infer.mode = sed) each member gives framewise probabilities instead of logits;
// they are pooled per chunk and per frame of the frame track (infer/frame_pooling.hpp) and get
// no activation: the model's own sigmoid already made them probabilities, and a second one
// would squash every score into [0.5, 0.73].
// The result equals the Python pipelines, which compute every window on its own, to float
// rounding (tests/e2e/predict_oracle_test.cpp); infer.per_window_spectrogram computes every frame
// that way, for comparisons.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "features/recording_source.hpp"
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
};

// Where one predict() call spent its time (for --budget): the rest of the call is decoding,
// features and pooling, shared by all members. Also how its windows went through the networks
// (infer.batch_size at a time), summed over the members.
struct PredictTimings {
  std::map<std::string, double> model_seconds;  // in each member's forward passes
  std::size_t windows = 0;                      // scored by a network
  std::size_t network_calls = 0;                // forward passes that scored them
};

// Told, after each block of windows, how many seconds of the recording are scored so far (for a
// progress display inside long recordings).
using ScoredSeconds = std::function<void(double seconds)>;

class Predictor {
 public:
  // Members by name; all must share one class list (align checkpoints first). In SED mode every
  // member must give framewise output, and postprocess.activation must be sigmoid (the model's
  // own, not applied again) or none.
  Predictor(std::map<std::string, std::shared_ptr<WindowScorer>> members, PredictorOptions options);

  const std::vector<std::string>& classes() const { return classes_; }
  // The classes' names from the first member that carries them (empty: none does).
  const formats::SpeciesNames& species_names() const;
  // The first member's feature settings (its band is what the Raven tables report).
  const features::FeatureConfig& reference_features() const {
    return members_.begin()->second->features();
  }
  std::vector<std::string> member_names() const;
  // `timings`, when given, receives the time spent in each member's model.
  RecordingScores predict(features::RecordingSource& recording, PredictTimings* timings = nullptr,
                          const ScoredSeconds& scored = {}) const;
  RecordingScores predict(const std::filesystem::path& file, PredictTimings* timings = nullptr,
                          const ScoredSeconds& scored = {}) const;
  // Each member's chunk scores as predict() gives them for that member alone (no frame track),
  // from one decode and one spectrogram shared by all: training validation scores the trained
  // and the EMA weights this way.
  std::map<std::string, RecordingScores> predict_each(features::RecordingSource& recording) const;
  std::map<std::string, RecordingScores> predict_each(const std::filesystem::path& file) const;

 private:
  struct MemberOutputs;
  // `file` with the channel infer.channel picks (ConfigError for infer.channel = all).
  features::AudioFileSource open(const std::filesystem::path& file) const;
  // Every member's chunk scores (activation applied; SED: pooled frames) before the ensemble.
  MemberOutputs run_members(features::RecordingSource& recording, PredictTimings* timings,
                            const ScoredSeconds& scored) const;
  // The post-processing after the ensemble: all but the activation.
  PostprocessConfig temporal_postprocess() const;

  std::map<std::string, std::shared_ptr<WindowScorer>> members_;
  PredictorOptions options_;
  EnsembleExpression ensemble_;
  std::vector<std::string> classes_;
  std::vector<double> priors_;  // odds factor per class; empty: none
};

}  // namespace chorus::infer
