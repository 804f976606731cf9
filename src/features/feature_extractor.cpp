#include "features/feature_extractor.hpp"

#include <algorithm>
#include <limits>
#include <mutex>

#include "core/parallel.hpp"
#include "features/decibels.hpp"
#include "features/pcen.hpp"

namespace chorus::features {

FeatureExtractor::FeatureExtractor(const FeatureConfig& config, int sample_rate)
    : config_(config), mel_(config, sample_rate), normalization_(config.normalize) {}

Spectrogram FeatureExtractor::compute(std::span<const float> signal, int threads) const {
  Spectrogram spec = mel_.compute(signal, threads);
  finish(spec.view(), threads);
  return spec;
}

std::vector<Spectrogram> FeatureExtractor::compute_batch(
    std::span<const std::span<const float>> windows, int threads) const {
  std::vector<Spectrogram> out(windows.size());
  threads = core::resolve_threads(threads);
  if (static_cast<int>(windows.size()) < threads) {
    for (std::size_t i = 0; i < windows.size(); ++i) out[i] = compute(windows[i], threads);
    return out;
  }
  core::parallel_for(windows.size(), threads, 1, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) out[i] = compute(windows[i], 1);
  });
  return out;
}

void FeatureExtractor::finish(SpectrogramView spec, int threads) const {
  const std::span<float> values = spec.values;
  if (config_.scale == FeatureScale::db) {
    const float multiplier = config_.power == 2.0 ? 10.0f : 20.0f;
    // Logarithms in parallel chunks, then one floor over the whole spectrogram.
    constexpr std::size_t kChunk = 1 << 16;
    const std::size_t chunks = (values.size() + kChunk - 1) / kChunk;
    float max_db = -std::numeric_limits<float>::infinity();
    std::mutex max_mutex;
    core::parallel_for(chunks, threads, 4, [&](std::size_t begin, std::size_t end) {
      float local = -std::numeric_limits<float>::infinity();
      for (std::size_t c = begin; c < end; ++c) {
        const std::size_t first = c * kChunk;
        local = std::max(local,
                         to_decibels(values.subspan(first, std::min(kChunk, values.size() - first)),
                                     multiplier, static_cast<float>(config_.amin)));
      }
      std::lock_guard lock(max_mutex);
      max_db = std::max(max_db, local);
    });
    apply_top_db(values, max_db, static_cast<float>(config_.top_db));
  } else if (config_.scale == FeatureScale::pcen) {
    apply_pcen(spec,
               {config_.pcen_gain, config_.pcen_bias, config_.pcen_power,
                config_.pcen_time_constant, config_.pcen_eps},
               mel_.sample_rate(), config_.hop_length);
  }
  normalize(values, normalization_);
}

}  // namespace chorus::features
