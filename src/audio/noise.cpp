#include "audio/noise.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace chorus::audio {

void add_pink_noise(std::span<float> out, double rms, std::mt19937& rng) {
  if (out.empty()) return;
  double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
  std::vector<float> noise(out.size());
  for (float& x : noise) {
    const double w = white_sample(rng);
    b0 = 0.99886 * b0 + w * 0.0555179;
    b1 = 0.99332 * b1 + w * 0.0750759;
    b2 = 0.96900 * b2 + w * 0.1538520;
    b3 = 0.86650 * b3 + w * 0.3104856;
    b4 = 0.55000 * b4 + w * 0.5329522;
    b5 = -0.7616 * b5 - w * 0.0168980;
    const double pink = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
    b6 = w * 0.115926;
    x = static_cast<float>(pink);
  }
  add_at_rms(out, noise, rms);
}

void add_at_rms(std::span<float> out, std::span<const float> component, double rms) {
  double sum_sq = 0;
  for (const float x : component) sum_sq += static_cast<double>(x) * x;
  if (sum_sq <= 0) return;
  const double scale = rms / std::sqrt(sum_sq / static_cast<double>(component.size()));
  const std::size_t n = std::min(out.size(), component.size());
  for (std::size_t i = 0; i < n; ++i) out[i] += static_cast<float>(component[i] * scale);
}

}  // namespace chorus::audio
