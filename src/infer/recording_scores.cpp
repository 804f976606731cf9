#include "infer/recording_scores.hpp"

#include <algorithm>
#include <tuple>

namespace chorus::infer {
namespace {

// The rows events are cut from: the chunks, or in SED mode the frame track.
struct TimedRows {
  const RecordingScores& rec;
  bool frames() const { return !rec.frames.empty(); }
  const ScoreMatrix& scores() const { return frames() ? rec.frames.scores : rec.scores; }
  double start(std::size_t i) const {
    return frames() ? static_cast<double>(i) * rec.frames.step_seconds : rec.chunk_start(i);
  }
  double end(std::size_t i) const {
    return frames() ? std::min(rec.duration_seconds,
                               static_cast<double>(i + 1) * rec.frames.step_seconds)
                    : rec.chunk_end(i);
  }
};

}  // namespace

double RecordingScores::chunk_end(std::size_t i) const {
  return std::min(duration_seconds, static_cast<double>(chunks[i].span.end) / sample_rate);
}

std::vector<DetectionEvent> detection_events(const std::vector<RecordingScores>& recordings,
                                             double threshold) {
  std::vector<DetectionEvent> events;
  for (std::size_t r = 0; r < recordings.size(); ++r) {
    const TimedRows rows{recordings[r]};
    const ScoreMatrix& s = rows.scores();
    for (std::size_t c = 0; c < s.cols; ++c) {
      for (std::size_t i = 0; i < s.rows; ++i) {
        if (s.at(i, c) < threshold) continue;
        DetectionEvent e{r, c, rows.start(i), rows.end(i), s.at(i, c)};
        while (i + 1 < s.rows && s.at(i + 1, c) >= threshold) {
          ++i;
          e.end_seconds = rows.end(i);
          e.score = std::max(e.score, s.at(i, c));
        }
        if (e.end_seconds > e.start_seconds) events.push_back(e);
      }
    }
  }
  // By recording, then time, then class: the order a listener goes through them.
  std::stable_sort(events.begin(), events.end(),
                   [](const DetectionEvent& a, const DetectionEvent& b) {
                     return std::tie(a.recording, a.start_seconds, a.cls) <
                            std::tie(b.recording, b.start_seconds, b.cls);
                   });
  return events;
}

}  // namespace chorus::infer
