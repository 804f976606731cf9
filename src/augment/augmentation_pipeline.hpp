#pragma once
// The [augment] configuration applied to one training input, in the order the loader runs them:
//   crop (of round(length · stretch rate) samples) → time stretch → pitch shift → roll →
//   background → Gaussian noise → pink noise → gain → log-mel → band filter (power) →
//   finishing (dB, top_db, normalisation) → XY masking → batch mixing (batch_mixing.hpp).
// Each step is applied with its probability, every draw from the caller's generator, so an input
// depends only on the generator's seed.

#include <cstddef>
#include <vector>

#include "augment/augment_config.hpp"
#include "augment/background_noise.hpp"
#include "augment/waveform_augment.hpp"
#include "features/spectrogram.hpp"

namespace chorus::augment {

// The time-stretch rate of one crop: uniform in [min_rate, max_rate] with probability
// time_stretch_p, else 1. Drawn before cropping, because a crop of round(length · rate) samples
// is what stretches to `length`.
double draw_stretch_rate(const AugmentConfig& config, Rng& rng);

// Crop samples → `length` augmented samples. `crop` holds round(length · stretch_rate) samples
// (any other length is stretched, then cut or zero-padded to `length`). `background` may be null
// only when background_p is 0.
std::vector<float> apply_waveform_augmentations(std::vector<float> crop, std::size_t length,
                                                double stretch_rate, int sample_rate,
                                                const AugmentConfig& config,
                                                const BackgroundNoise* background, Rng& rng);

// Band filter on a mel power spectrogram when the item has an annotated band [low_hz, high_hz]
// (low_hz < high_hz); `centres_hz` are the mel bands' centres.
void apply_band_filter(features::Spectrogram& mel_power, const std::vector<double>& centres_hz,
                       double low_hz, double high_hz, const AugmentConfig& config, Rng& rng);

// XY masking of a finished input.
void apply_spectrogram_augmentations(features::Spectrogram& input, const AugmentConfig& config,
                                     Rng& rng);

}  // namespace chorus::augment
