#pragma once
// Spectrogram augmentations and the two mixing schemes of the winning recipes. Spectrograms are
// features::Spectrogram ([bins × frames], row-major), targets data::Target.

#include <random>
#include <utility>
#include <vector>

#include "augment/augment_config.hpp"
#include "data/targets.hpp"
#include "features/spectrogram.hpp"

namespace chorus::augment {

using Rng = std::mt19937_64;

struct Stripe {
  int first = 0;  // first masked row (frequency) or column (time)
  int width = 0;
};

// SpecAugment's XY masking (Park et al. 2019): `time_masks` stripes of up to `max_time_width`
// frames and `freq_masks` stripes of up to `max_freq_width` bins, at random places. Returns the
// stripes drawn (time ones first), for tests and logs.
std::vector<Stripe> xy_mask(features::Spectrogram& spec, int time_masks, int max_time_width,
                            int freq_masks, int max_freq_width, MaskFill fill, Rng& rng);

// Horizontal cutmix (BirdCLEF 2024 1st): frames [cut, end) of `a` come from `b` at the same
// position; the target is the frame-weighted blend of the two. `cut` uniform in [1, frames−1].
int horizontal_cutmix(features::Spectrogram& a, data::Target& a_target,
                      const features::Spectrogram& b, const data::Target& b_target, Rng& rng);

// Mixup (Zhang et al. 2018): x = λ·a + (1 − λ)·b with λ ~ Beta(alpha, alpha); targets blended
// by λ ("blend") or their element-wise maximum ("max": both species are present). Works on any
// equal-length buffers (waveforms or spectrogram values). Returns λ.
double mixup(std::span<float> a, data::Target& a_target, std::span<const float> b,
             const data::Target& b_target, double alpha, bool max_labels, Rng& rng);

// Keeps bins [low_bin, high_bin) and lowers the rest by `attenuation_db` (values in dB):
// frequency-band filtering around an annotated box (RFCX 21st place).
void band_filter(features::Spectrogram& spec, int low_bin, int high_bin, float attenuation_db);

// The same on a mel *power* spectrogram, before the dB scale: the rest is multiplied by
// 10^(−attenuation_db / 10), so the top_db floor and the normalisation see the filtered input.
void band_filter_power(features::Spectrogram& power, int low_bin, int high_bin,
                       float attenuation_db);

// The mel bands [first, end) whose centres lie in [low_hz, high_hz] (at least the one nearest
// the band when it is narrower than a mel band); `centres_hz` ascending (MelFilterbank's).
std::pair<int, int> mel_bands_of(const std::vector<double>& centres_hz, double low_hz,
                                 double high_hz);

}  // namespace chorus::augment
