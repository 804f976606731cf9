#pragma once
// [features]: log-mel settings. Defaults are the BirdCLEF 2024 winning settings, computed as
// torchaudio.transforms.MelSpectrogram + AmplitudeToDB compute them.

#include "core/config_fields.hpp"

namespace chorus::features {

struct FeatureConfig {
  int n_fft = 1024;                  // samples per FFT frame
  int win_length = 0;                // samples of the Hann window (0 = n_fft), centred in the frame
  int hop_length = 500;              // samples between frames (500 at 32 kHz = 64 frames/s)
  int n_mels = 128;                  // mel bands
  double f_min = 40.0;               // Hz, lower edge of the lowest band
  double f_max = 15000.0;            // Hz, upper edge of the highest band (≤ sample_rate / 2)
  double power = 2.0;                // 2 = power spectrogram, 1 = magnitude
  std::string mel_scale = "htk";     // htk or slaney (torchaudio mel_scale)
  std::string mel_norm = "none";     // none or slaney (area normalisation, torchaudio norm)
  bool center = true;                // pad n_fft/2 each side so frame t is centred on t·hop
  std::string pad_mode = "reflect";  // reflect or constant (zeros), for center padding
  std::string scale = "db";          // db (10·log10 with top_db), pcen, or power (linear mel)
  double top_db = 80.0;  // dB below a spectrogram's maximum where values are floored; 0 = off
  double amin = 1e-10;   // power floor before the logarithm
  std::string normalize = "none";  // none, minmax ((x−min)/(max−min+1e-7) per window), standard
  double pcen_gain = 0.98;         // PCEN α (librosa "gain")
  double pcen_bias = 2.0;          // PCEN δ
  double pcen_power = 0.5;         // PCEN r
  double pcen_time_constant = 0.4;  // seconds of the smoothing filter
  double pcen_eps = 1e-6;           // PCEN ε

  int window_samples() const { return win_length > 0 ? win_length : n_fft; }
  void register_fields(core::ConfigFields& fields);
  // Needs the audio rate to check f_max against Nyquist.
  void validate(int sample_rate) const;
};

}  // namespace chorus::features
