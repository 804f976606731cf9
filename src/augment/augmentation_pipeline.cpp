#include "augment/augmentation_pipeline.hpp"

#include <cmath>

#include "augment/spectrogram_augment.hpp"
#include "augment/time_stretch.hpp"
#include "core/error.hpp"

namespace chorus::augment {
namespace {

bool chance(double p, Rng& rng) { return p > 0 && std::bernoulli_distribution(p)(rng); }

double uniform(double lo, double hi, Rng& rng) {
  return lo == hi ? lo : std::uniform_real_distribution<double>(lo, hi)(rng);
}

}  // namespace

double draw_stretch_rate(const AugmentConfig& c, Rng& rng) {
  return chance(c.time_stretch_p, rng)
             ? uniform(c.time_stretch_min_rate, c.time_stretch_max_rate, rng)
             : 1.0;
}

std::vector<float> apply_waveform_augmentations(std::vector<float> x, std::size_t length,
                                                double stretch_rate, int sample_rate,
                                                const AugmentConfig& c,
                                                const BackgroundNoise* background, Rng& rng) {
  if (stretch_rate != 1.0) x = time_stretch(x, stretch_rate);
  x.resize(length, 0.0f);  // stretching rounds the length: ± a sample
  if (chance(c.pitch_shift_p, rng))
    x = pitch_shift(x, sample_rate,
                    uniform(-c.pitch_shift_max_semitones, c.pitch_shift_max_semitones, rng));
  if (chance(c.roll_p, rng))
    random_roll(x, static_cast<std::size_t>(std::llround(c.roll_max_seconds * sample_rate)), rng);
  if (chance(c.background_p, rng)) {
    CHORUS_CHECK(background != nullptr && background->size() > 0,
                 "augment.background_p > 0 without background recordings");
    const auto which = std::uniform_int_distribution<std::size_t>(0, background->size() - 1)(rng);
    mix_background(x, (*background)[which], c.background_min_snr_db, c.background_max_snr_db, rng);
  }
  if (chance(c.gaussian_noise_p, rng))
    add_gaussian_noise(x, c.gaussian_noise_min_snr_db, c.gaussian_noise_max_snr_db, rng);
  if (chance(c.pink_noise_p, rng))
    add_pink_noise(x, c.pink_noise_min_snr_db, c.pink_noise_max_snr_db, rng);
  if (chance(c.gain_p, rng)) random_gain(x, c.gain_min_db, c.gain_max_db, rng);
  return x;
}

void apply_band_filter(features::Spectrogram& mel_power, const std::vector<double>& centres_hz,
                       double low_hz, double high_hz, const AugmentConfig& c, Rng& rng) {
  if (!(low_hz < high_hz) || !chance(c.band_filter_p, rng)) return;
  const auto [first, end] = mel_bands_of(centres_hz, low_hz, high_hz);
  band_filter_power(mel_power, first, end, static_cast<float>(c.band_filter_attenuation_db));
}

void apply_spectrogram_augmentations(features::Spectrogram& input, const AugmentConfig& c,
                                     Rng& rng) {
  if (chance(c.xy_masking_p, rng))
    xy_mask(input, c.xy_masking_time_stripes, c.xy_masking_max_width, c.xy_masking_freq_stripes,
            c.xy_masking_max_height, c.xy_masking_fill, rng);
}

}  // namespace chorus::augment
