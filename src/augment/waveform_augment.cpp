#include "augment/waveform_augment.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "audio/noise.hpp"

namespace chorus::augment {
namespace {

double uniform(double lo, double hi, Rng& rng) {
  return lo == hi ? lo : std::uniform_real_distribution<double>(lo, hi)(rng);
}

// Scales `noise` so signal power / noise power = 10^(snr/10), and adds it.
void add_at_snr(std::span<float> signal, std::span<const float> noise, double snr_db) {
  const double ps = signal_power(signal), pn = signal_power(noise);
  if (ps <= 0 || pn <= 0) return;
  const auto scale = static_cast<float>(std::sqrt(ps / (pn * std::pow(10.0, snr_db / 10.0))));
  for (std::size_t i = 0; i < signal.size(); ++i) signal[i] += scale * noise[i];
}

}  // namespace

double signal_power(std::span<const float> s) {
  if (s.empty()) return 0;
  double sum = 0;
  for (float x : s) sum += static_cast<double>(x) * x;
  return sum / static_cast<double>(s.size());
}

void random_gain(std::span<float> signal, double min_db, double max_db, Rng& rng) {
  const auto gain = static_cast<float>(std::pow(10.0, uniform(min_db, max_db, rng) / 20.0));
  for (float& x : signal) x *= gain;
}

void add_gaussian_noise(std::span<float> signal, double min_snr_db, double max_snr_db, Rng& rng) {
  const double snr = uniform(min_snr_db, max_snr_db, rng);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> noise(signal.size());
  for (float& x : noise) x = normal(rng);
  add_at_snr(signal, noise, snr);
}

void add_pink_noise(std::span<float> signal, double min_snr_db, double max_snr_db, Rng& rng) {
  const double snr = uniform(min_snr_db, max_snr_db, rng);
  std::vector<float> noise(signal.size(), 0.0f);
  std::mt19937 pink_rng(static_cast<std::uint32_t>(rng()));
  audio::add_pink_noise(noise, 1.0, pink_rng);
  add_at_snr(signal, noise, snr);
}

void mix_background(std::span<float> signal, std::span<const float> background, double min_snr_db,
                    double max_snr_db, Rng& rng) {
  if (background.empty() || signal.empty()) return;
  const double snr = uniform(min_snr_db, max_snr_db, rng);
  const std::size_t offset =
      std::uniform_int_distribution<std::size_t>(0, background.size() - 1)(rng);
  std::vector<float> noise(signal.size());
  for (std::size_t i = 0; i < noise.size(); ++i)
    noise[i] = background[(offset + i) % background.size()];
  add_at_snr(signal, noise, snr);
}

void random_roll(std::span<float> signal, std::size_t max_shift, Rng& rng) {
  if (signal.empty() || max_shift == 0) return;
  const auto limit = static_cast<std::int64_t>(std::min(max_shift, signal.size() - 1));
  const std::int64_t shift = std::uniform_int_distribution<std::int64_t>(-limit, limit)(rng);
  const auto n = static_cast<std::int64_t>(signal.size());
  std::rotate(signal.begin(), signal.begin() + ((n - shift) % n + n) % n, signal.end());
}

}  // namespace chorus::augment
