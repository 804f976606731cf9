#include "features/feature_config.hpp"

#include "core/error.hpp"

namespace chorus::features {

void FeatureConfig::register_fields(core::ConfigFields& f) {
  f.add("n_fft", &n_fft, "samples per FFT frame");
  f.add("win_length", &win_length, "samples of the Hann window, centred in the frame (0 = n_fft)");
  f.add("hop_length", &hop_length, "samples between frames");
  f.add("n_mels", &n_mels, "mel bands");
  f.add("f_min", &f_min, "Hz, lower edge of the lowest mel band");
  f.add("f_max", &f_max, "Hz, upper edge of the highest mel band (at most sample_rate / 2)");
  f.add("power", &power, "2 = power spectrogram, 1 = magnitude");
  f.add("mel_scale", &mel_scale, "mel formula (torchaudio mel_scale)");
  f.add("mel_norm", &mel_norm, "filter normalisation (torchaudio norm)");
  f.add("center", &center, "pad n_fft/2 on each side so frame t is centred on sample t*hop");
  f.add("pad_mode", &pad_mode, "padding for center");
  f.add("scale", &scale, "db: 10*log10 with top_db floor; pcen; power: linear mel");
  f.add("top_db", &top_db, "dB below the spectrogram's maximum where values are floored (0 = off)");
  f.add("amin", &amin, "power floor before the logarithm");
  f.add("normalize", &normalize, "per-window normalisation: minmax to [0,1], standard (z-score)");
  f.add("pcen_gain", &pcen_gain, "PCEN alpha");
  f.add("pcen_bias", &pcen_bias, "PCEN delta");
  f.add("pcen_power", &pcen_power, "PCEN r");
  f.add("pcen_time_constant", &pcen_time_constant, "seconds, PCEN smoothing time constant");
  f.add("pcen_eps", &pcen_eps, "PCEN epsilon");
}

void FeatureConfig::validate(int sample_rate) const {
  CHORUS_CHECK_AS(ConfigError, n_fft >= 16 && n_fft <= 65536,
                  "features.n_fft = {}: expected 16..65536", n_fft);
  CHORUS_CHECK_AS(ConfigError, win_length >= 0 && win_length <= n_fft,
                  "features.win_length = {}: expected 0..n_fft ({})", win_length, n_fft);
  CHORUS_CHECK_AS(ConfigError, hop_length >= 1, "features.hop_length = {}: expected ≥ 1",
                  hop_length);
  CHORUS_CHECK_AS(ConfigError, n_mels >= 1 && n_mels <= n_fft / 2 + 1,
                  "features.n_mels = {}: expected 1..n_fft/2+1 ({})", n_mels, n_fft / 2 + 1);
  CHORUS_CHECK_AS(ConfigError, f_min >= 0, "features.f_min = {}: expected ≥ 0 Hz", f_min);
  CHORUS_CHECK_AS(ConfigError, f_max > f_min && f_max <= sample_rate / 2.0,
                  "features.f_max = {}: expected f_min ({}) < f_max ≤ sample_rate/2 ({})", f_max,
                  f_min, sample_rate / 2.0);
  CHORUS_CHECK_AS(ConfigError, power == 1.0 || power == 2.0,
                  "features.power = {}: expected 1 (magnitude) or 2 (power)", power);
  CHORUS_CHECK_AS(ConfigError, top_db >= 0, "features.top_db = {}: expected ≥ 0 (0 = off)", top_db);
  CHORUS_CHECK_AS(ConfigError, amin > 0, "features.amin = {}: expected > 0", amin);
  CHORUS_CHECK_AS(ConfigError, pcen_time_constant > 0,
                  "features.pcen_time_constant = {}: expected > 0 s", pcen_time_constant);
  CHORUS_CHECK_AS(ConfigError, pcen_eps > 0 && pcen_power > 0 && pcen_bias >= 0 && pcen_gain >= 0,
                  "features.pcen_*: expected eps > 0, power > 0, bias ≥ 0, gain ≥ 0");
}

}  // namespace chorus::features
