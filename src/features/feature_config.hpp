#pragma once
// [features]: log-mel settings. Defaults are the BirdCLEF 2024 winning settings, computed as
// torchaudio.transforms.MelSpectrogram + AmplitudeToDB compute them.

#include <array>
#include <string_view>

#include "core/config_fields.hpp"
#include "core/enum_names.hpp"
#include "features/mel_filterbank.hpp"
#include "features/normalize.hpp"
#include "features/stft.hpp"

namespace chorus::features {

// Filter normalisation (torchaudio's norm): none, or Slaney's equal area.
enum class MelNorm { none, slaney };
// What the mel power becomes: dB (10·log10 with top_db), PCEN, or the linear power itself.
enum class FeatureScale { db, pcen, power };

struct FeatureConfig {
  static constexpr std::string_view kSection = "features";
  int n_fft = 1024;        // samples per FFT frame
  int win_length = 0;      // samples of the Hann window (0 = n_fft), centred in the frame
  int hop_length = 500;    // samples between frames (500 at 32 kHz = 64 frames/s)
  int n_mels = 128;        // mel bands
  double f_min = 40.0;     // Hz, lower edge of the lowest band
  double f_max = 15000.0;  // Hz, upper edge of the highest band (≤ sample_rate / 2)
  double power = 2.0;      // 2 = power spectrogram, 1 = magnitude
  MelScale mel_scale = MelScale::htk;   // torchaudio mel_scale
  MelNorm mel_norm = MelNorm::none;     // area normalisation (torchaudio norm)
  bool center = true;                   // pad n_fft/2 each side so frame t is centred on t·hop
  PadMode pad_mode = PadMode::reflect;  // reflect or constant (zeros), for center padding
  FeatureScale scale = FeatureScale::db;
  double top_db = 80.0;  // dB below a spectrogram's maximum where values are floored; 0 = off
  double amin = 1e-10;   // power floor before the logarithm
  Normalization normalize = Normalization::none;  // per window (normalize.hpp)
  double pcen_gain = 0.98;                        // PCEN α (librosa "gain")
  double pcen_bias = 2.0;                         // PCEN δ
  double pcen_power = 0.5;                        // PCEN r
  double pcen_time_constant = 0.4;                // seconds of the smoothing filter
  double pcen_eps = 1e-6;                         // PCEN ε

  int window_samples() const { return win_length > 0 ? win_length : n_fft; }
  void register_fields(core::ConfigFields& fields);
  // Needs the audio rate to check f_max against Nyquist.
  void validate(int sample_rate) const;
};

}  // namespace chorus::features

template <>
struct chorus::core::EnumNames<chorus::features::MelScale> {
  static constexpr std::array<std::string_view, 2> names{"htk", "slaney"};
};
template <>
struct chorus::core::EnumNames<chorus::features::MelNorm> {
  static constexpr std::array<std::string_view, 2> names{"none", "slaney"};
};
template <>
struct chorus::core::EnumNames<chorus::features::PadMode> {
  static constexpr std::array<std::string_view, 2> names{"reflect", "constant"};
};
template <>
struct chorus::core::EnumNames<chorus::features::FeatureScale> {
  static constexpr std::array<std::string_view, 3> names{"db", "pcen", "power"};
};
template <>
struct chorus::core::EnumNames<chorus::features::Normalization> {
  static constexpr std::array<std::string_view, 3> names{"none", "minmax", "standard"};
};
