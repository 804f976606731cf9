#include "features/pcen.hpp"

#include <cmath>

namespace chorus::features {

void apply_pcen(SpectrogramView mel, const PcenSettings& s, int sample_rate, int hop_length) {
  const double t_frames = s.time_constant * sample_rate / hop_length;
  const double b = (std::sqrt(1.0 + 4.0 * t_frames * t_frames) - 1.0) / (2.0 * t_frames * t_frames);
  const double bias_r = std::pow(s.bias, s.power);
  for (int m = 0; m < mel.n_bins; ++m) {
    const std::span<float> row = mel.row(m);
    if (row.empty()) continue;
    // Steady-state start (scipy.signal.lfilter_zi in librosa): the smoother starts at E[0].
    double smooth = row[0];
    for (float& e : row) {
      smooth = (1.0 - b) * smooth + b * e;
      e = static_cast<float>(std::pow(e / std::pow(s.eps + smooth, s.gain) + s.bias, s.power) -
                             bias_r);
    }
  }
}

}  // namespace chorus::features
