#include "features/feature_config.hpp"

#include "core/error.hpp"

namespace chorus::features {

void FeatureConfig::register_fields(core::ConfigFields& f) {
  f.add("n_fft", &n_fft, "samples per FFT frame").within(16, 65536);
  f.add("win_length", &win_length,
        "samples of the Hann window, centred in the frame (0 = n_fft; at most n_fft)")
      .at_least(0);
  f.add("hop_length", &hop_length,
        "samples between frames (at least sample_rate / 1000: 1000 frames per second at most)")
      .at_least(1);
  f.add("n_mels", &n_mels, "mel bands (at most n_fft / 2 + 1)").at_least(1);
  f.add("f_min", &f_min, "lower edge of the lowest mel band").unit("Hz").at_least(0);
  f.add("f_max", &f_max,
        "upper edge of the highest mel band (above f_min, at most sample_rate / 2)")
      .unit("Hz");
  f.add("power", &power, "2 = power spectrogram, 1 = magnitude").one_of({1, 2});
  f.add("mel_scale", &mel_scale, "mel formula (torchaudio mel_scale)");
  f.add("mel_norm", &mel_norm, "filter normalisation (torchaudio norm)");
  f.add("center", &center, "pad n_fft/2 on each side so frame t is centred on sample t*hop");
  f.add("pad_mode", &pad_mode, "padding for center");
  f.add("scale", &scale, "db: 10*log10 with top_db floor; pcen; power: linear mel");
  f.add("top_db", &top_db, "below the spectrogram's maximum, where values are floored (0 = off)")
      .unit("dB")
      .at_least(0);
  f.add("amin", &amin, "power floor before the logarithm").above(0);
  f.add("normalize", &normalize, "per-window normalisation: minmax to [0,1], standard (z-score)");
  f.add("pcen_gain", &pcen_gain, "PCEN alpha").at_least(0);
  f.add("pcen_bias", &pcen_bias, "PCEN delta").at_least(0);
  f.add("pcen_power", &pcen_power, "PCEN r").above(0);
  f.add("pcen_time_constant", &pcen_time_constant, "PCEN smoothing time constant")
      .unit("s")
      .above(0);
  f.add("pcen_eps", &pcen_eps, "PCEN epsilon").above(0);
}

void FeatureConfig::validate(int sample_rate) const {
  core::check_declared(*this);
  // Finer steps add nothing a spectrogram shows, and hop_length = 1 multiplies the frames of a
  // recording (and the work and memory of every command) by hundreds.
  CHORUS_CHECK_AS(ConfigError, hop_length >= sample_rate / 1000,
                  "features.hop_length = {}: expected ≥ sample_rate / 1000 ({}; at most 1000 "
                  "frames per second)",
                  hop_length, sample_rate / 1000);
  CHORUS_CHECK_AS(ConfigError, win_length <= n_fft,
                  "features.win_length = {}: expected 0..n_fft ({})", win_length, n_fft);
  CHORUS_CHECK_AS(ConfigError, n_mels <= n_fft / 2 + 1,
                  "features.n_mels = {}: expected 1..n_fft/2+1 ({})", n_mels, n_fft / 2 + 1);
  CHORUS_CHECK_AS(ConfigError, f_max > f_min && f_max <= sample_rate / 2.0,
                  "features.f_max = {}: expected f_min ({}) < f_max ≤ sample_rate/2 ({})", f_max,
                  f_min, sample_rate / 2.0);
}

}  // namespace chorus::features
