#include "infer/chunk_plan.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"

namespace chorus::infer {

std::string row_id(const std::string& stem, double end_seconds) {
  if (end_seconds == std::floor(end_seconds))
    return fmt::format("{}_{}", stem, static_cast<long long>(end_seconds));
  return fmt::format("{}_{}", stem, end_seconds);
}

ChunkPlan plan_chunks(const std::string& stem, std::int64_t length, int rate,
                      const InferConfig& c) {
  c.validate();
  const auto samples = [&](double seconds) {
    return static_cast<std::int64_t>(std::llround(seconds * rate));
  };
  const std::int64_t chunk = samples(c.chunk_seconds);
  const std::int64_t step = chunk - samples(c.overlap_seconds);
  CHORUS_CHECK(chunk > 0 && step > 0,
               "infer.chunk_seconds = {} less overlap_seconds = {} is less "
               "than a sample",
               c.chunk_seconds, c.overlap_seconds);
  std::int64_t count = std::max<std::int64_t>(1, (length + step - 1) / step);
  while (count > 1 && length - (count - 1) * step < samples(c.min_last_chunk_seconds)) --count;
  ChunkPlan plan;
  // sed scores the sliding grid too: its frames, not whole windows, are pooled per chunk.
  const bool grid = c.mode == InferMode::sliding || c.mode == InferMode::sed;
  if (grid) {
    const std::int64_t window = samples(c.window_seconds), hop = samples(c.hop_seconds);
    // The regular grid of windows from 0 until one reaches the end of the last chunk.
    for (std::int64_t start = 0;; start += hop) {
      plan.windows.push_back({start, start + window});
      if (start + window >= (count - 1) * step + chunk) break;
    }
  }
  for (std::int64_t k = 0; k < count; ++k) {
    Chunk ch;
    ch.span = {k * step, k * step + chunk};
    ch.row_id = row_id(stem, static_cast<double>(ch.span.end) / rate);
    if (grid) {
      for (std::size_t w = 0; w < plan.windows.size(); ++w)
        if (plan.windows[w].begin < ch.span.end && ch.span.begin < plan.windows[w].end)
          ch.windows.push_back(w);
    } else {
      // context
      const std::int64_t context = samples(c.context_seconds);
      const std::int64_t before = (context - chunk) / 2;
      plan.windows.push_back({ch.span.begin - before, ch.span.begin - before + context});
      ch.windows.push_back(plan.windows.size() - 1);
    }
    plan.chunks.push_back(std::move(ch));
  }
  return plan;
}

}  // namespace chorus::infer
