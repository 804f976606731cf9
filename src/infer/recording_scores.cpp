#include "infer/recording_scores.hpp"

#include <algorithm>
#include <tuple>

namespace chorus::infer {

double RecordingScores::chunk_end(std::size_t i) const {
  return std::min(duration_seconds, static_cast<double>(chunks[i].span.end) / sample_rate);
}

std::vector<DetectionEvent> detection_events(const std::vector<RecordingScores>& recordings,
                                             double threshold) {
  std::vector<DetectionEvent> events;
  for (std::size_t r = 0; r < recordings.size(); ++r) {
    const RecordingScores& rec = recordings[r];
    for (std::size_t c = 0; c < rec.scores.cols; ++c) {
      for (std::size_t i = 0; i < rec.chunks.size(); ++i) {
        if (rec.scores.at(i, c) < threshold) continue;
        DetectionEvent e{r, c, rec.chunk_start(i), rec.chunk_end(i), rec.scores.at(i, c)};
        while (i + 1 < rec.chunks.size() && rec.scores.at(i + 1, c) >= threshold) {
          ++i;
          e.end_seconds = rec.chunk_end(i);
          e.score = std::max(e.score, rec.scores.at(i, c));
        }
        events.push_back(e);
      }
    }
  }
  // By recording, then time, then class: the order a listener goes through them.
  std::stable_sort(events.begin(), events.end(), [](const DetectionEvent& a, const DetectionEvent& b) {
    return std::tie(a.recording, a.start_seconds, a.cls) < std::tie(b.recording, b.start_seconds, b.cls);
  });
  return events;
}

}  // namespace chorus::infer
