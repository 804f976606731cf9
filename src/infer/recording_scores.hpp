#pragma once
// What prediction produces for one recording, and what the writers consume.

#include <string>
#include <vector>

#include "infer/chunk_plan.hpp"
#include "infer/score_matrix.hpp"

namespace chorus::infer {

// SED mode: scores at the models' frame resolution, rows [k·step, (k + 1)·step) seconds from
// the start of the recording (up to its end), pooled, ensembled and prior-scaled as the chunks
// are (chunk smoothing is defined over chunks and does not apply). Detection events are cut from
// these, so their times are frame-exact rather than chunk edges.
struct FrameTrack {
  double step_seconds = 0;
  ScoreMatrix scores;  // frames × classes; empty outside SED mode
  bool empty() const { return scores.rows == 0; }
};

struct RecordingScores {
  std::string path;     // the audio file as given
  std::string stem;     // its name without directory and extension (row_id prefix)
  int channel = 0;      // the file's channel scored, from 1; 0: the mean of its channels
  int sample_rate = 0;  // of the chunk positions
  double duration_seconds = 0;
  std::vector<Chunk> chunks;  // in time order
  ScoreMatrix scores;         // chunks × classes, post-processed
  FrameTrack frames;          // SED mode only

  double chunk_start(std::size_t i) const {
    return static_cast<double>(chunks[i].span.begin) / sample_rate;
  }
  // The chunk's end, not past the end of the recording.
  double chunk_end(std::size_t i) const;
};

// A FormatError naming the recording, the chunk's row_id (or the frame) and the class when a
// score is NaN or infinite: a model that diverged, or input no check caught. Scores are checked
// where they are made, so one such recording is a per-file error and never reaches an output.
void check_scores_finite(const RecordingScores& recording, const std::vector<std::string>& classes);

// The same recording with only the given classes' columns (chunks and frame track), in that
// order: what the outputs keep under a species list.
RecordingScores with_classes(const RecordingScores& recording,
                             const std::vector<std::size_t>& classes);

// A stretch of a recording where one class is detected (see DetectionRules): consecutive
// chunks (SED mode: frames of the frame track) merged into one event, its score their maximum.
// Events end at the end of the recording at the latest.
struct DetectionEvent {
  std::size_t recording = 0;  // index into the recordings given
  std::size_t cls = 0;
  double start_seconds = 0;
  double end_seconds = 0;
  float score = 0;
};

// Which scores are detections and how they join into events (postprocess.threshold, top_k,
// merge_consecutive; predict --min-conf, --top-n, --merge-consecutive).
struct DetectionRules {
  double threshold = 0.5;  // a row's score at or above this is a detection
  int top_k = 0;           // only a row's k highest classes count (0 = all)
  // At most this many consecutive detected chunks join one event (1: every chunk its own, as
  // BirdNET-Analyzer's default); a call that goes on longer is several events, so an event is
  // never longer than merge_consecutive chunks. SED frames join up to that much time.
  int merge_consecutive = 1;
};

std::vector<DetectionEvent> detection_events(const std::vector<RecordingScores>& recordings,
                                             const DetectionRules& rules);

}  // namespace chorus::infer
