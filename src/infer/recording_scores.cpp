#include "infer/recording_scores.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <tuple>
#include <utility>

#include "core/error.hpp"

namespace chorus::infer {
namespace {

// The first cell of `m` that is not finite, as (row, column), or none.
std::optional<std::pair<std::size_t, std::size_t>> first_non_finite(const ScoreMatrix& m) {
  const auto bad =
      std::find_if(m.values.begin(), m.values.end(), [](float v) { return !std::isfinite(v); });
  if (bad == m.values.end()) return std::nullopt;
  const auto at = static_cast<std::size_t>(bad - m.values.begin());
  return std::pair{at / m.cols, at % m.cols};
}

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

// Cells at or above the threshold among their row's top_k classes (ties keep the lower class
// index), row-major.
std::vector<char> detected_cells(const ScoreMatrix& s, const DetectionRules& rules) {
  std::vector<char> detected(s.values.size(), 0);
  std::vector<std::size_t> order(s.cols);
  for (std::size_t i = 0; i < s.rows; ++i) {
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return s.at(i, a) > s.at(i, b); });
    const std::size_t kept =
        rules.top_k > 0 ? std::min(s.cols, static_cast<std::size_t>(rules.top_k)) : s.cols;
    for (std::size_t k = 0; k < kept && s.at(i, order[k]) >= rules.threshold; ++k)
      detected[i * s.cols + order[k]] = 1;
  }
  return detected;
}

// How many rows one event may join: merge_consecutive chunks, or the frames in that much time.
std::size_t rows_per_event(const TimedRows& rows, int merge_consecutive) {
  const auto chunks = static_cast<std::size_t>(std::max(1, merge_consecutive));
  if (!rows.frames() || rows.rec.chunks.empty()) return chunks;
  const SampleSpan first = rows.rec.chunks.front().span;
  const double chunk_seconds = static_cast<double>(first.end - first.begin) / rows.rec.sample_rate;
  return std::max<std::size_t>(
      1, static_cast<std::size_t>(std::llround(static_cast<double>(chunks) * chunk_seconds /
                                               rows.rec.frames.step_seconds)));
}

ScoreMatrix columns(const ScoreMatrix& s, const std::vector<std::size_t>& kept) {
  ScoreMatrix out(s.rows, kept.size());
  for (std::size_t r = 0; r < s.rows; ++r)
    for (std::size_t c = 0; c < kept.size(); ++c) out.at(r, c) = s.at(r, kept[c]);
  return out;
}

}  // namespace

void check_scores_finite(const RecordingScores& recording,
                         const std::vector<std::string>& classes) {
  const auto fail = [&](const std::string& where, float value, std::size_t c) {
    throw FormatError(fmt::format(
        "{}: the model's score for {}, class '{}', is {} (a diverged model or damaged input)",
        recording.path, where, classes.at(c), value));
  };
  if (const auto bad = first_non_finite(recording.scores))
    fail(recording.chunks.at(bad->first).row_id, recording.scores.at(bad->first, bad->second),
         bad->second);
  if (const auto bad = first_non_finite(recording.frames.scores))
    fail(fmt::format("frame {}", bad->first), recording.frames.scores.at(bad->first, bad->second),
         bad->second);
}

RecordingScores with_classes(const RecordingScores& recording,
                             const std::vector<std::size_t>& classes) {
  RecordingScores out = recording;
  out.scores = columns(recording.scores, classes);
  if (!recording.frames.empty()) out.frames.scores = columns(recording.frames.scores, classes);
  return out;
}

double RecordingScores::chunk_end(std::size_t i) const {
  return std::min(duration_seconds, static_cast<double>(chunks[i].span.end) / sample_rate);
}

std::vector<DetectionEvent> detection_events(const std::vector<RecordingScores>& recordings,
                                             const DetectionRules& rules) {
  std::vector<DetectionEvent> events;
  for (std::size_t r = 0; r < recordings.size(); ++r) {
    const TimedRows rows{recordings[r]};
    const ScoreMatrix& s = rows.scores();
    const std::vector<char> detected = detected_cells(s, rules);
    const std::size_t longest = rows_per_event(rows, rules.merge_consecutive);
    for (std::size_t c = 0; c < s.cols; ++c) {
      for (std::size_t i = 0; i < s.rows; ++i) {
        if (!detected[i * s.cols + c]) continue;
        DetectionEvent e{r, c, rows.start(i), rows.end(i), s.at(i, c)};
        for (std::size_t joined = 1;
             joined < longest && i + 1 < s.rows && detected[(i + 1) * s.cols + c]; ++joined) {
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
