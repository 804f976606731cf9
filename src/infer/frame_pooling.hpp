#pragma once
// SED mode: from a model's framewise output over a recording's windows to scores per time span.
//
// Frame j of T' of a window [b, e) covers [b + j·(e − b)/T', b + (j + 1)·(e − b)/T') — the model's
// output frames are spread evenly over its input, as a CNN's time axis is. A span's score for a
// class is the max (or mean) over every frame whose centre falls inside the span, from every
// window: overlapping windows each vote with their own view of the same moment. Spans form a
// regular grid from the start of the recording: the chunks, or the finer frame track that
// detection events are cut from.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "infer/chunk_plan.hpp"
#include "infer/infer_config.hpp"
#include "infer/score_matrix.hpp"

namespace chorus::infer {

// One model's framewise probabilities for the windows of a recording.
struct FrameOutputs {
  std::size_t frames_per_window = 0;  // T'
  std::size_t classes = 0;
  std::vector<float> values;  // windows × T' × classes

  FrameOutputs() = default;
  FrameOutputs(std::size_t windows, std::size_t frames, std::size_t n_classes)
      : frames_per_window(frames), classes(n_classes), values(windows * frames * n_classes) {}
  std::size_t windows() const {
    return frames_per_window * classes == 0 ? 0 : values.size() / (frames_per_window * classes);
  }
  // Windows [first, first + count), for a scorer to write into.
  std::span<float> window_block(std::size_t first, std::size_t count) {
    return std::span<float>(values).subspan(first * frames_per_window * classes,
                                            count * frames_per_window * classes);
  }
  float at(std::size_t window, std::size_t frame, std::size_t cls) const {
    return values[(window * frames_per_window + frame) * classes + cls];
  }
};

// Spans [k·length, (k + 1)·length) samples, k = 0 … count − 1.
struct SpanGrid {
  double length = 0;  // samples (fractional for a frame track: window length / T')
  std::size_t count = 0;
};

// count × classes: per span, "max" or "mean" of the frames centred inside it. A span no frame
// centre falls in (frames coarser than the spans, or a frame lattice not aligned with them at the
// recording's end) pools the frames that overlap it instead; a span no window covers is an error.
ScoreMatrix pool_frames(const FrameOutputs& frames, std::span<const SampleSpan> windows,
                        SpanGrid spans, Aggregate aggregate, int sample_rate);

}  // namespace chorus::infer
