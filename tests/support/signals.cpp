#include "support/signals.hpp"

#include <cmath>
#include <numbers>
#include <random>

namespace chorus::testing {

std::vector<float> sine_sweep(int sample_rate, double seconds, double f0, double f1,
                              double amplitude) {
  const auto n = static_cast<std::size_t>(seconds * sample_rate);
  const double k = std::log(f1 / f0) / seconds;
  std::vector<float> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / sample_rate;
    // phase(t) = 2π f0 (e^{kt} − 1) / k, so the instantaneous frequency is f0·e^{kt}.
    out[i] = static_cast<float>(amplitude *
                                std::sin(2 * std::numbers::pi * f0 * (std::exp(k * t) - 1) / k));
  }
  return out;
}

std::vector<float> sine(int sample_rate, double seconds, double hz, double amplitude) {
  const auto n = static_cast<std::size_t>(seconds * sample_rate);
  std::vector<float> out(n);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = static_cast<float>(amplitude * std::sin(2 * std::numbers::pi * hz * i / sample_rate));
  return out;
}

std::vector<float> white_noise(int sample_rate, double seconds, double rms, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, rms);
  std::vector<float> out(static_cast<std::size_t>(seconds * sample_rate));
  for (float& x : out) x = static_cast<float>(normal(rng));
  return out;
}

double snr_db(const std::vector<float>& x, const std::vector<float>& reference, std::size_t first,
              std::size_t last) {
  double signal = 0, noise = 0;
  for (std::size_t i = first; i < last; ++i) {
    signal += static_cast<double>(reference[i]) * reference[i];
    const double d = static_cast<double>(x[i]) - reference[i];
    noise += d * d;
  }
  return 10 * std::log10(signal / std::max(noise, 1e-300));
}

}  // namespace chorus::testing
