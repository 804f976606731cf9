#pragma once
// What `chorus predict` and `chorus pseudo` share: recordings in, checkpoints as an ensemble,
// threads, --fail-fast and the [infer] and [postprocess] sections, resolved into the inputs and
// the Predictor that scores them.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "core/config_file.hpp"
#include "graph/precision.hpp"
#include "infer/compiled_scorer.hpp"
#include "infer/infer_config.hpp"
#include "infer/postprocess.hpp"
#include "infer/predictor.hpp"

namespace chorus::cli {

struct ScoringOptions {
  std::vector<std::string> inputs;  // files and folders
  std::vector<std::string> models;  // checkpoints
  std::string ensemble;             // expression over the models' stems; empty: the mean
  bool fail_fast = false;
  int threads = 1;
  std::string precision;  // --precision: over infer.precision when given
  core::ConfigSource config;
  infer::InferConfig infer;
  infer::PostprocessConfig postprocess;

  // `sections` names what the config file may set, `example` one --set.
  void add_to(CLI::App& command, const std::string& sections, const std::string& example);

  // How the threads split over `recordings`: many recordings run one per worker with one thread
  // each, a single recording gets every thread inside it. Sets the compiled models' threads per
  // recording (graph::set_inference_threads) to match.
  struct ThreadSplit {
    int workers = 1;
    int threads_per_recording = 1;
  };
  ThreadSplit split_threads(std::size_t recordings) const;

  // The audio files of the inputs (infer::prediction_inputs; none is an error) and the split.
  struct Resolved {
    std::vector<std::filesystem::path> files;
    int workers = 1;
    int threads_per_recording = 1;
  };
  Resolved resolve_inputs() const;

  // The precision the networks will compute in on this CPU (--precision, else infer.precision;
  // auto takes int8 only when every model is calibrated), written back into `infer` resolved, so
  // the run's manifest records what was used.
  graph::PrecisionChoice resolve_precision();

  // The checkpoints as one Predictor, each compiled from the description it stores, or by
  // `fallback` (infer::CompiledScorer::members).
  infer::Predictor predictor(const infer::CompiledScorer::Fallback& fallback,
                             int threads_per_recording) const;
  // Given members as one Predictor with these options.
  infer::Predictor predictor(std::map<std::string, std::shared_ptr<infer::WindowScorer>> members,
                             int threads_per_recording) const;
};

}  // namespace chorus::cli
