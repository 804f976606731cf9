#include "infer/pseudo_labels.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

#include "core/error.hpp"

namespace chorus::infer {

void PseudoConfig::register_fields(core::ConfigFields& f) {
  f.add("min_confidence", &min_confidence,
        "drop a chunk whose highest probability is below this (0 = keep all)")
      .within(0, 1);
  f.add("temperature", &temperature, "power transform p^(1/T): < 1 sharpens, > 1 softens (1 = off)")
      .above(0);
  f.add("floor", &floor, "probabilities below this become 0 (0 = off)").within(0, 1);
  f.add("top_k", &top_k, "classes kept per chunk, the most probable (0 = all)").at_least(0);
  f.add("row_cap", &row_cap,
        "scale a chunk's probabilities down so they sum to at most this (0 = off)")
      .at_least(0);
}

void PseudoConfig::validate() const { core::check_declared(*this); }

bool confident_enough(std::span<const float> probabilities, const PseudoConfig& config) {
  if (config.min_confidence <= 0) return true;
  const float highest =
      probabilities.empty() ? 0.0f : *std::max_element(probabilities.begin(), probabilities.end());
  return highest >= config.min_confidence;
}

void transform_pseudo_row(std::span<float> p, const PseudoConfig& config) {
  if (config.temperature != 1.0) {
    const double exponent = 1.0 / config.temperature;
    for (float& v : p) v = static_cast<float>(std::pow(static_cast<double>(v), exponent));
  }
  if (config.floor > 0)
    for (float& v : p)
      if (v < config.floor) v = 0.0f;
  if (config.top_k > 0 && static_cast<std::size_t>(config.top_k) < p.size()) {
    // The k-th highest value; cells below it go, and ties at it are kept in class order.
    std::vector<float> sorted(p.begin(), p.end());
    std::nth_element(sorted.begin(), sorted.begin() + (config.top_k - 1), sorted.end(),
                     std::greater<>());
    const float kth = sorted[static_cast<std::size_t>(config.top_k - 1)];
    auto kept = std::count_if(p.begin(), p.end(), [kth](float v) { return v > kth; });
    for (float& v : p) {
      if (v > kth) continue;
      if (v == kth && kept < config.top_k) {
        ++kept;
        continue;
      }
      v = 0.0f;
    }
  }
  if (config.row_cap > 0) {
    const double sum = std::accumulate(p.begin(), p.end(), 0.0);
    if (sum > config.row_cap) {
      const double scale = config.row_cap / sum;
      for (float& v : p) v = static_cast<float>(v * scale);
    }
  }
}

void append_pseudo_rows(const RecordingScores& scores, const PseudoConfig& config,
                        formats::PseudoTable& table) {
  CHORUS_CHECK(scores.scores.cols == table.classes.size(),
               "{}: {} score columns for a pseudo table of {} classes", scores.path,
               scores.scores.cols, table.classes.size());
  for (std::size_t c = 0; c < scores.chunks.size(); ++c) {
    const std::span<const float> row = scores.scores.row(c);
    if (!confident_enough(row, config)) continue;
    formats::PseudoRow out{.recording = scores.path,
                           .start_seconds = scores.chunk_start(c),
                           .end_seconds = scores.chunk_end(c),
                           .probabilities = {row.begin(), row.end()},
                           .line = 0};
    transform_pseudo_row(out.probabilities, config);
    table.rows.push_back(std::move(out));
  }
}

}  // namespace chorus::infer
