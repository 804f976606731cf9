#pragma once
// [augment]: which training augmentations run and with what parameters. Every augmentation has a
// probability `<name>_p` of being applied to an input (0 = off, the default for all), drawn per
// input from the loader's seeded generator.

#include <array>
#include <string_view>

#include "core/config_fields.hpp"
#include "core/enum_names.hpp"

namespace chorus::augment {

// What masked cells are filled with: 0, the spectrogram's mean or its minimum.
enum class MaskFill { zero, mean, min };
// A mixed input's target: max (both species present) or blend (weighted by λ).
enum class MixupLabels { max, blend };

struct AugmentConfig {
  static constexpr std::string_view kSection = "augment";
  // Waveform (on each crop, before the log-mel).
  double gain_p = 0.0;
  double gain_min_db = -6.0;  // dB
  double gain_max_db = 6.0;   // dB
  double gaussian_noise_p = 0.0;
  double gaussian_noise_min_snr_db = 10.0;  // dB, signal power / noise power
  double gaussian_noise_max_snr_db = 30.0;  // dB
  double pink_noise_p = 0.0;
  double pink_noise_min_snr_db = 10.0;  // dB
  double pink_noise_max_snr_db = 30.0;  // dB
  double background_p = 0.0;
  std::string background_dir;           // folder of noise recordings (searched recursively)
  double background_min_snr_db = 0.0;   // dB
  double background_max_snr_db = 20.0;  // dB
  double roll_p = 0.0;
  double roll_max_seconds = 1.0;  // seconds, the largest rotation either way
  double pitch_shift_p = 0.0;
  double pitch_shift_max_semitones = 2.0;  // semitones, shift uniform in ±this
  double time_stretch_p = 0.0;
  double time_stretch_min_rate = 0.8;   // speed factor (< 1: slower)
  double time_stretch_max_rate = 1.25;  // speed factor (> 1: faster)
  // Spectrogram (on each finished input).
  double xy_masking_p = 0.0;
  int xy_masking_time_stripes = 3;            // stripes across time
  int xy_masking_max_width = 20;              // frames, widest time stripe
  int xy_masking_freq_stripes = 3;            // stripes across frequency
  int xy_masking_max_height = 10;             // mel bands, highest frequency stripe
  MaskFill xy_masking_fill = MaskFill::zero;  // zero, mean or min of the input
  double band_filter_p = 0.0;                 // only for items with an annotated band (RFCX, Raven)
  double band_filter_attenuation_db = 20.0;   // dB taken off the mel bands outside the box
  // Across the batch.
  double horizontal_cutmix_p = 0.0;
  double mixup_p = 0.0;
  double mixup_alpha = 0.5;  // λ ~ Beta(alpha, alpha)
  MixupLabels mixup_labels = MixupLabels::max;

  void register_fields(core::ConfigFields& fields);
  void validate() const;
};

// True when any waveform augmentation can run: inputs must then be decoded, not read from the
// feature cache.
bool has_waveform_augmentations(const AugmentConfig& config);

}  // namespace chorus::augment

template <>
struct chorus::core::EnumNames<chorus::augment::MaskFill> {
  static constexpr std::array<std::string_view, 3> names{"zero", "mean", "min"};
};
template <>
struct chorus::core::EnumNames<chorus::augment::MixupLabels> {
  static constexpr std::array<std::string_view, 2> names{"max", "blend"};
};
