#include "infer/frame_pooling.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace chorus::infer {
namespace {

// Adds one frame's probabilities to a span's accumulator (max, or sum for the mean).
void accumulate(std::span<float> acc, const FrameOutputs& frames, std::size_t window,
                std::size_t frame, bool max) {
  for (std::size_t c = 0; c < acc.size(); ++c) {
    const float p = frames.at(window, frame, c);
    acc[c] = max ? std::max(acc[c], p) : acc[c] + p;
  }
}

}  // namespace

ScoreMatrix pool_frames(const FrameOutputs& frames, std::span<const SampleSpan> windows,
                        SpanGrid spans, Aggregate aggregate, int sample_rate) {
  CHORUS_DCHECK(frames.windows() == windows.size());
  CHORUS_DCHECK(spans.length > 0 && frames.frames_per_window > 0);
  const bool max = aggregate == Aggregate::max;
  const std::size_t n_frames = frames.frames_per_window;
  const auto window_length = [&](std::size_t w) {
    return static_cast<double>(windows[w].end - windows[w].begin);
  };
  ScoreMatrix out(spans.count, frames.classes, max ? -INFINITY : 0.0f);
  std::vector<std::size_t> pooled(spans.count, 0);
  // Each frame goes to the one span its centre is in: O(frames), whatever the recording's length.
  for (std::size_t w = 0; w < windows.size(); ++w) {
    const double begin = static_cast<double>(windows[w].begin);
    for (std::size_t j = 0; j < n_frames; ++j) {
      // (2j + 1)·L / 2T': one rounding, so whole-sample centres are exact.
      const double centre = begin + static_cast<double>(2 * j + 1) * window_length(w) /
                                        static_cast<double>(2 * n_frames);
      const double k = std::floor(centre / spans.length);
      if (k < 0 || k >= static_cast<double>(spans.count)) continue;
      const auto span = static_cast<std::size_t>(k);
      ++pooled[span];
      accumulate(out.row(span), frames, w, j, max);
    }
  }
  for (std::size_t s = 0; s < spans.count; ++s) {
    const double a = static_cast<double>(s) * spans.length, b = a + spans.length;
    if (pooled[s] == 0) {
      // Frames coarser than the spans, or frame lattices not aligned with them at an edge: no
      // centre inside, so the frames that overlap the span speak for it.
      // Windows lie in time order (plan_chunks' grid): start at the first that ends after a.
      const auto first = std::partition_point(
          windows.begin(), windows.end(),
          [&](const SampleSpan& w) { return static_cast<double>(w.end) <= a; });
      for (auto w = static_cast<std::size_t>(first - windows.begin()); w < windows.size(); ++w) {
        const double begin = static_cast<double>(windows[w].begin),
                     d = window_length(w) / static_cast<double>(n_frames);
        if (begin >= b) break;
        const auto j_first = static_cast<std::size_t>(std::max(0.0, std::floor((a - begin) / d)));
        const auto j_end = std::min(n_frames, static_cast<std::size_t>(std::ceil((b - begin) / d)));
        for (std::size_t j = j_first; j < j_end; ++j, ++pooled[s])
          accumulate(out.row(s), frames, w, j, max);
      }
    }
    CHORUS_CHECK_AS(ModelError, pooled[s] > 0,
                    "infer.mode = sed: no window covers [{:.3f} s, {:.3f} s)", a / sample_rate,
                    b / sample_rate);
    if (!max)
      for (float& v : out.row(s)) v /= static_cast<float>(pooled[s]);
  }
  return out;
}

}  // namespace chorus::infer
