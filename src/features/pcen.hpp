#pragma once
// Per-channel energy normalisation (Wang et al. 2017, "Trainable frontend for robust and
// far-field keyword spotting"), as librosa.pcen defines it:
//   M[t] = (1 − b)·M[t−1] + b·E[t],  M[−1] = E[0] (the filter's steady state for the first frame)
//   PCEN[t] = (E[t] / (ε + M[t])^α + δ)^r − δ^r
// with b from the time constant T (seconds): t_frames = T·sr/hop,
// b = (sqrt(1 + 4·t_frames²) − 1) / (2·t_frames²).
// librosa starts the smoother at 1 instead (its zi is scipy's lfilter_zi unscaled), which for
// power values far from 1 distorts the first second or so; starting at the first frame does not.

#include "features/spectrogram.hpp"

namespace chorus::features {

struct PcenSettings {
  double gain = 0.98;
  double bias = 2.0;
  double power = 0.5;
  double time_constant = 0.4;  // seconds
  double eps = 1e-6;
};

// In place, on a mel power spectrogram sampled every hop_length samples at sample_rate.
void apply_pcen(SpectrogramView mel, const PcenSettings& settings, int sample_rate, int hop_length);

}  // namespace chorus::features
