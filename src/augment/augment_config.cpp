#include "augment/augment_config.hpp"

#include <cmath>

#include "core/error.hpp"

namespace chorus::augment {
namespace {

void check_range(const char* min_key, double min, const char* max_key, double max) {
  CHORUS_CHECK_AS(ConfigError, std::isfinite(min) && std::isfinite(max) && min <= max,
                  "augment.{} = {} and augment.{} = {}: expected finite values with min ≤ max",
                  min_key, min, max_key, max);
}

}  // namespace

void AugmentConfig::register_fields(core::ConfigFields& f) {
  f.add("gain_p", &gain_p, "probability of a random gain").probability();
  f.add("gain_min_db", &gain_min_db, "lowest gain").unit("dB");
  f.add("gain_max_db", &gain_max_db, "highest gain").unit("dB");
  f.add("gaussian_noise_p", &gaussian_noise_p, "probability of added white Gaussian noise")
      .probability();
  f.add("gaussian_noise_min_snr_db", &gaussian_noise_min_snr_db, "lowest signal-to-noise ratio")
      .unit("dB");
  f.add("gaussian_noise_max_snr_db", &gaussian_noise_max_snr_db, "highest signal-to-noise ratio")
      .unit("dB");
  f.add("pink_noise_p", &pink_noise_p, "probability of added pink (1/f) noise").probability();
  f.add("pink_noise_min_snr_db", &pink_noise_min_snr_db, "lowest signal-to-noise ratio").unit("dB");
  f.add("pink_noise_max_snr_db", &pink_noise_max_snr_db, "highest signal-to-noise ratio")
      .unit("dB");
  f.add("background_p", &background_p, "probability of a mixed-in background recording")
      .probability();
  f.add("background_dir", &background_dir,
        "folder of background (no-call) recordings, searched recursively");
  f.add("background_min_snr_db", &background_min_snr_db, "lowest signal-to-background ratio")
      .unit("dB");
  f.add("background_max_snr_db", &background_max_snr_db, "highest signal-to-background ratio")
      .unit("dB");
  f.add("roll_p", &roll_p, "probability of a cyclic time shift of the crop").probability();
  f.add("roll_max_seconds", &roll_max_seconds, "largest shift either way").unit("s").at_least(0);
  f.add("pitch_shift_p", &pitch_shift_p,
        "probability of a pitch shift (phase vocoder + soxr, as librosa)")
      .probability();
  f.add("pitch_shift_max_semitones", &pitch_shift_max_semitones, "shift uniform in +-this")
      .unit("semitones")
      .within(0, 24);
  f.add("time_stretch_p", &time_stretch_p,
        "probability of a time stretch (phase vocoder, as librosa)")
      .probability();
  f.add("time_stretch_min_rate", &time_stretch_min_rate, "speed factor, lowest (< 1 slows down)")
      .within(0.25, 4);
  f.add("time_stretch_max_rate", &time_stretch_max_rate, "speed factor, highest (> 1 speeds up)")
      .within(0.25, 4);
  f.add("xy_masking_p", &xy_masking_p, "probability of SpecAugment time and frequency masking")
      .probability();
  f.add("xy_masking_time_stripes", &xy_masking_time_stripes, "masked stripes across time")
      .at_least(0);
  f.add("xy_masking_max_width", &xy_masking_max_width, "widest time stripe")
      .unit("frames")
      .at_least(0);
  f.add("xy_masking_freq_stripes", &xy_masking_freq_stripes, "masked stripes across frequency")
      .at_least(0);
  f.add("xy_masking_max_height", &xy_masking_max_height, "highest frequency stripe")
      .unit("mel bands")
      .at_least(0);
  f.add("xy_masking_fill", &xy_masking_fill,
        "value of masked cells: zero, the input's mean or minimum");
  f.add("band_filter_p", &band_filter_p,
        "probability of attenuating the mel bands outside an item's annotated box (RFCX, Raven "
        "items)")
      .probability();
  f.add("band_filter_attenuation_db", &band_filter_attenuation_db, "taken off outside the box")
      .unit("dB")
      .at_least(0);
  f.add("horizontal_cutmix_p", &horizontal_cutmix_p,
        "probability of taking the frames after a random cut from another input of the batch")
      .probability();
  f.add("mixup_p", &mixup_p, "probability of mixup with another input of the batch").probability();
  f.add("mixup_alpha", &mixup_alpha, "mixup weight lambda ~ Beta(alpha, alpha)").above(0);
  f.add("mixup_labels", &mixup_labels,
        "mixed target: max (both present) or blend (weighted by lambda)");
}

void AugmentConfig::validate() const {
  core::check_declared(*this);
  check_range("gain_min_db", gain_min_db, "gain_max_db", gain_max_db);
  check_range("gaussian_noise_min_snr_db", gaussian_noise_min_snr_db, "gaussian_noise_max_snr_db",
              gaussian_noise_max_snr_db);
  check_range("pink_noise_min_snr_db", pink_noise_min_snr_db, "pink_noise_max_snr_db",
              pink_noise_max_snr_db);
  check_range("background_min_snr_db", background_min_snr_db, "background_max_snr_db",
              background_max_snr_db);
  check_range("time_stretch_min_rate", time_stretch_min_rate, "time_stretch_max_rate",
              time_stretch_max_rate);
  CHORUS_CHECK_AS(
      ConfigError, background_p == 0 || !background_dir.empty(),
      "augment.background_p = {}: needs augment.background_dir (a folder of noise recordings)",
      background_p);
}

bool has_waveform_augmentations(const AugmentConfig& c) {
  return c.gain_p > 0 || c.gaussian_noise_p > 0 || c.pink_noise_p > 0 || c.background_p > 0 ||
         c.roll_p > 0 || c.pitch_shift_p > 0 || c.time_stretch_p > 0;
}

}  // namespace chorus::augment
