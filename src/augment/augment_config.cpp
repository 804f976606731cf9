#include "augment/augment_config.hpp"

#include <cmath>

#include "core/error.hpp"

namespace chorus::augment {
namespace {

void check_probability(const char* key, double p) {
  CHORUS_CHECK_AS(ConfigError, p >= 0 && p <= 1, "augment.{} = {}: expected a probability 0..1",
                  key, p);
}

void check_range(const char* min_key, double min, const char* max_key, double max) {
  CHORUS_CHECK_AS(ConfigError, std::isfinite(min) && std::isfinite(max) && min <= max,
                  "augment.{} = {} and augment.{} = {}: expected finite values with min ≤ max",
                  min_key, min, max_key, max);
}

}  // namespace

void AugmentConfig::register_fields(core::ConfigFields& f) {
  f.add("gain_p", &gain_p, "probability of a random gain");
  f.add("gain_min_db", &gain_min_db, "dB, lowest gain");
  f.add("gain_max_db", &gain_max_db, "dB, highest gain");
  f.add("gaussian_noise_p", &gaussian_noise_p, "probability of added white Gaussian noise");
  f.add("gaussian_noise_min_snr_db", &gaussian_noise_min_snr_db,
        "dB, lowest signal-to-noise ratio");
  f.add("gaussian_noise_max_snr_db", &gaussian_noise_max_snr_db,
        "dB, highest signal-to-noise ratio");
  f.add("pink_noise_p", &pink_noise_p, "probability of added pink (1/f) noise");
  f.add("pink_noise_min_snr_db", &pink_noise_min_snr_db, "dB, lowest signal-to-noise ratio");
  f.add("pink_noise_max_snr_db", &pink_noise_max_snr_db, "dB, highest signal-to-noise ratio");
  f.add("background_p", &background_p, "probability of a mixed-in background recording");
  f.add("background_dir", &background_dir,
        "folder of background (no-call) recordings, searched recursively");
  f.add("background_min_snr_db", &background_min_snr_db, "dB, lowest signal-to-background ratio");
  f.add("background_max_snr_db", &background_max_snr_db, "dB, highest signal-to-background ratio");
  f.add("roll_p", &roll_p, "probability of a cyclic time shift of the crop");
  f.add("roll_max_seconds", &roll_max_seconds, "seconds, largest shift either way");
  f.add("pitch_shift_p", &pitch_shift_p,
        "probability of a pitch shift (phase vocoder + soxr, as librosa)");
  f.add("pitch_shift_max_semitones", &pitch_shift_max_semitones,
        "semitones, shift uniform in +-this");
  f.add("time_stretch_p", &time_stretch_p,
        "probability of a time stretch (phase vocoder, as librosa)");
  f.add("time_stretch_min_rate", &time_stretch_min_rate, "speed factor, lowest (< 1 slows down)");
  f.add("time_stretch_max_rate", &time_stretch_max_rate, "speed factor, highest (> 1 speeds up)");
  f.add("xy_masking_p", &xy_masking_p, "probability of SpecAugment time and frequency masking");
  f.add("xy_masking_time_stripes", &xy_masking_time_stripes, "masked stripes across time");
  f.add("xy_masking_max_width", &xy_masking_max_width, "frames, widest time stripe");
  f.add("xy_masking_freq_stripes", &xy_masking_freq_stripes, "masked stripes across frequency");
  f.add("xy_masking_max_height", &xy_masking_max_height, "mel bands, highest frequency stripe");
  f.add("xy_masking_fill", &xy_masking_fill,
        "value of masked cells: zero, the input's mean or minimum");
  f.add("band_filter_p", &band_filter_p,
        "probability of attenuating the mel bands outside an item's annotated box (RFCX, Raven "
        "items)");
  f.add("band_filter_attenuation_db", &band_filter_attenuation_db, "dB taken off outside the box");
  f.add("horizontal_cutmix_p", &horizontal_cutmix_p,
        "probability of taking the frames after a random cut from another input of the batch");
  f.add("mixup_p", &mixup_p, "probability of mixup with another input of the batch");
  f.add("mixup_alpha", &mixup_alpha, "mixup weight lambda ~ Beta(alpha, alpha)");
  f.add("mixup_labels", &mixup_labels,
        "mixed target: max (both present) or blend (weighted by lambda)");
}

void AugmentConfig::validate() const {
  for (const auto& [key, p] : {std::pair{"gain_p", gain_p},
                               {"gaussian_noise_p", gaussian_noise_p},
                               {"pink_noise_p", pink_noise_p},
                               {"background_p", background_p},
                               {"roll_p", roll_p},
                               {"pitch_shift_p", pitch_shift_p},
                               {"time_stretch_p", time_stretch_p},
                               {"xy_masking_p", xy_masking_p},
                               {"band_filter_p", band_filter_p},
                               {"horizontal_cutmix_p", horizontal_cutmix_p},
                               {"mixup_p", mixup_p}})
    check_probability(key, p);
  check_range("gain_min_db", gain_min_db, "gain_max_db", gain_max_db);
  check_range("gaussian_noise_min_snr_db", gaussian_noise_min_snr_db, "gaussian_noise_max_snr_db",
              gaussian_noise_max_snr_db);
  check_range("pink_noise_min_snr_db", pink_noise_min_snr_db, "pink_noise_max_snr_db",
              pink_noise_max_snr_db);
  check_range("background_min_snr_db", background_min_snr_db, "background_max_snr_db",
              background_max_snr_db);
  CHORUS_CHECK_AS(
      ConfigError, background_p == 0 || !background_dir.empty(),
      "augment.background_p = {}: needs augment.background_dir (a folder of noise recordings)",
      background_p);
  CHORUS_CHECK_AS(ConfigError, roll_max_seconds >= 0, "augment.roll_max_seconds = {}: expected ≥ 0",
                  roll_max_seconds);
  CHORUS_CHECK_AS(ConfigError, pitch_shift_max_semitones >= 0 && pitch_shift_max_semitones <= 24,
                  "augment.pitch_shift_max_semitones = {}: expected 0..24",
                  pitch_shift_max_semitones);
  check_range("time_stretch_min_rate", time_stretch_min_rate, "time_stretch_max_rate",
              time_stretch_max_rate);
  CHORUS_CHECK_AS(
      ConfigError, time_stretch_min_rate >= 0.25 && time_stretch_max_rate <= 4,
      "augment.time_stretch_min_rate = {}, time_stretch_max_rate = {}: expected within 0.25..4",
      time_stretch_min_rate, time_stretch_max_rate);
  for (const auto& [key, n] : {std::pair{"xy_masking_time_stripes", xy_masking_time_stripes},
                               {"xy_masking_max_width", xy_masking_max_width},
                               {"xy_masking_freq_stripes", xy_masking_freq_stripes},
                               {"xy_masking_max_height", xy_masking_max_height}})
    CHORUS_CHECK_AS(ConfigError, n >= 0, "augment.{} = {}: expected ≥ 0", key, n);
  CHORUS_CHECK_AS(ConfigError, band_filter_attenuation_db >= 0,
                  "augment.band_filter_attenuation_db = {}: expected ≥ 0",
                  band_filter_attenuation_db);
  CHORUS_CHECK_AS(ConfigError, mixup_alpha > 0, "augment.mixup_alpha = {}: expected > 0",
                  mixup_alpha);
}

bool has_waveform_augmentations(const AugmentConfig& c) {
  return c.gain_p > 0 || c.gaussian_noise_p > 0 || c.pink_noise_p > 0 || c.background_p > 0 ||
         c.roll_p > 0 || c.pitch_shift_p > 0 || c.time_stretch_p > 0;
}

}  // namespace chorus::augment
