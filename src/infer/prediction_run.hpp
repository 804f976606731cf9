#pragma once
// A prediction run over many recordings, as `chorus predict` does it:
//   - inputs: files and folders (searched recursively for audio), in canonical order, optionally
//     one shard of them;
//   - recordings run in parallel, one per worker (each decoded on one thread);
//   - each finished recording is saved at once as <out>/parts/<stem>.json (atomically), so a
//     killed run restarted with resume skips what is done;
//   - a recording that fails is listed in <out>/errors.csv and the run goes on, unless
//     fail_fast;
//   - at the end every output is assembled from the parts.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "infer/output_writers.hpp"
#include "infer/predictor.hpp"
#include "infer/shards.hpp"

namespace chorus::infer {

struct RunOptions {
  std::filesystem::path out_dir;
  Shard shard;
  bool resume = false;
  bool fail_fast = false;
  int workers = 1;
  FrequencyBand band;      // drawn in Raven tables
  double threshold = 0.5;  // detections: chunks (SED: frames) scoring at least this
};

// A recording run_prediction finished, for progress displays and --budget.
struct FinishedRecording {
  std::filesystem::path file;
  double audio_seconds = 0;
  double worker_seconds = 0;  // wall time of its prediction and saving on its worker
  PredictTimings timings;     // of that, the time in each member's model
};

struct RunSummary {
  std::size_t recordings = 0;  // in this shard
  std::size_t predicted = 0;   // computed now
  std::size_t resumed = 0;     // found done
  std::size_t failed = 0;
  double audio_seconds = 0;
  double elapsed_seconds = 0;
};

// The recordings of a run: audio::collect_audio_files in canonical order (shards.hpp). Two
// recordings with one stem are a FormatError: they would write the same row_ids.
std::vector<std::filesystem::path> prediction_inputs(
    const std::vector<std::filesystem::path>& inputs);

// The recordings run_prediction will predict: the shard's, less those a resumed run finished.
std::vector<std::filesystem::path> pending_inputs(const std::vector<std::filesystem::path>& files,
                                                  const RunOptions& options);

// A recording's saved result: round-trips everything the writers need.
void save_part(const std::filesystem::path& path, const RecordingScores& r);
RecordingScores load_part(const std::filesystem::path& path);

// Predicts the shard's recordings not finished before, then assembles the outputs from the parts
// of every finished one: submission.csv, detections.csv/.json, species_summary.csv,
// raven/all.selections.txt, and a Raven table and an Audacity label file per recording.
RunSummary run_prediction(const Predictor& predictor,
                          const std::vector<std::filesystem::path>& files,
                          const RunOptions& options,
                          const std::function<void(const FinishedRecording&)>& on_done = {});

}  // namespace chorus::infer
