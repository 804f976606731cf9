#pragma once
// A prediction run over many recordings, as `chorus predict` does it:
//   - inputs: files and folders (searched recursively for audio), in canonical order, optionally
//     one shard of them;
//   - recordings run in parallel, one per worker (each decoded on one thread);
//   - recordings are named by their stem, or by their path where stems collide
//     (run_folder.hpp: recording_names); with infer.channel = all each channel of a file with
//     several is a recording of its own, <name>_ch<k>;
//   - each finished recording is saved at once as <out>/parts/<name>.json (atomically), so a
//     killed run restarted with resume skips what is done, and only if the models and settings
//     are the same (<out>/run.json); a run without resume first clears an earlier run's files;
//   - a recording that fails is listed in <out>/errors.csv and the run goes on, unless
//     fail_fast;
//   - at the end every output is assembled from the parts (output_writers.hpp).

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "infer/output_writers.hpp"
#include "infer/predictor.hpp"
#include "infer/run_manifest.hpp"
#include "infer/shards.hpp"

namespace chorus::infer {

struct RunOptions {
  std::filesystem::path out_dir;
  ChannelSelection channels;  // infer.channel
  RunManifest manifest;       // what scores this run (written to <out>/run.json, checked on resume)
  Shard shard;
  bool resume = false;
  bool fail_fast = false;
  int workers = 1;
  FrequencyBand band;  // drawn in Raven tables
  DetectionRules detections;
  // The classes every output reports (a species list; empty: all). The parts keep every class,
  // so a resumed run may change this.
  std::vector<std::size_t> output_classes;
  // The predictor's classes' scientific and common names for Raven and Kaleidoscope outputs
  // (empty: the codes).
  formats::SpeciesNames names;
};

// One recording of a run: a file, or one channel of it, and its name in the outputs.
struct RunRecording {
  std::filesystem::path file;
  std::string name;
  std::optional<int> channel;  // from 0; none: the mean of the file's channels
};

// A recording run_prediction finished or gave up on, for progress displays and --budget.
struct FinishedRecording {
  std::filesystem::path file;
  std::string name;     // the RunRecording's
  bool failed = false;  // listed in errors.csv; no scores, no times
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
  std::size_t windows = 0;        // of the recordings predicted now, scored by a network
  std::size_t network_calls = 0;  // forward passes that scored them
};

// The recordings of a run: audio::collect_audio_files in canonical order (shards.hpp).
std::vector<std::filesystem::path> prediction_inputs(
    const std::vector<std::filesystem::path>& inputs);

// The recordings run_prediction will predict: the shard's, less those a resumed run finished.
std::vector<RunRecording> pending_recordings(const std::vector<std::filesystem::path>& files,
                                             const RunOptions& options);

// A recording's saved result: round-trips everything the writers need.
void save_part(const std::filesystem::path& path, const RecordingScores& r);
RecordingScores load_part(const std::filesystem::path& path);

// Predicts the shard's recordings not finished before, then assembles the outputs from the parts
// of every finished one: submission.csv, detections.csv/.json, species_summary.csv,
// raven/all.selections.txt, and a Raven table and an Audacity label file per recording.
// `files` are all the run's recordings (every shard's: they decide the names).
// `on_done` hears of every recording finished or failed, `on_scored` of the seconds of a
// recording (by its name) scored so far while it is scored (both from the workers' threads).
RunSummary run_prediction(const Predictor& predictor,
                          const std::vector<std::filesystem::path>& files,
                          const RunOptions& options,
                          const std::function<void(const FinishedRecording&)>& on_done = {},
                          const std::function<void(const std::string&, double)>& on_scored = {});

}  // namespace chorus::infer
