#pragma once
// The configured features of a signal or of many windows: mel spectrogram, then the scale
// (dB with top_db, PCEN, or linear power), then the per-window normalisation. One code path for
// `chorus mel`, training and prediction.

#include <span>
#include <vector>

#include "features/feature_config.hpp"
#include "features/mel_spectrogram.hpp"
#include "features/normalize.hpp"
#include "features/spectrogram.hpp"

namespace chorus::features {

class FeatureExtractor {
 public:
  FeatureExtractor(const FeatureConfig& config, int sample_rate);

  const FeatureConfig& config() const { return config_; }
  const MelSpectrogram& mel() const { return mel_; }

  // Features of a whole signal; the top_db floor and normalisation span all of it.
  Spectrogram compute(std::span<const float> signal, int threads) const;

  // Features of each window on its own (its own top_db floor and normalisation, as the
  // per-window Python pipelines compute them), windows spread over `threads`.
  std::vector<Spectrogram> compute_batch(std::span<const std::span<const float>> windows,
                                         int threads) const;

  // Scale and normalisation applied in place to a mel power spectrogram (or a slice of one).
  void finish(SpectrogramView mel_power, int threads) const;

 private:
  FeatureConfig config_;
  MelSpectrogram mel_;
  Normalization normalization_;
};

}  // namespace chorus::features
