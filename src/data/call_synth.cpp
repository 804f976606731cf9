#include "data/call_synth.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace chorus::data {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;

// Raised-cosine fade of `fade` seconds at both ends of a note of `length` seconds.
double envelope(double t, double length, double fade) {
  fade = std::min(fade, length / 2);
  if (t < fade) return 0.5 - 0.5 * std::cos(std::numbers::pi * t / fade);
  if (t > length - fade) return 0.5 - 0.5 * std::cos(std::numbers::pi * (length - t) / fade);
  return 1.0;
}

// Instantaneous frequency gliding exponentially from f0 to f1 over `length` seconds.
double glide(double t, double length, double f0, double f1) {
  return f0 * std::pow(f1 / f0, std::clamp(t / length, 0.0, 1.0));
}

}  // namespace

void add_call(std::span<float> out, int sample_rate, double onset, const CallParams& call,
              double amplitude) {
  const auto first = static_cast<std::int64_t>(std::floor(onset * sample_rate));
  const auto count = static_cast<std::int64_t>(call.duration * sample_rate);
  double phase = 0;
  const double note_period = call.rate > 0 ? 1.0 / call.rate : call.duration;
  for (std::int64_t i = 0; i < count; ++i) {
    const std::int64_t index = first + i;
    const double t = static_cast<double>(i) / sample_rate;
    const double in_note = std::fmod(t, note_period);
    double f = glide(t, call.duration, call.f_start, call.f_end);
    // A trill is a train of fast down-sweeps, each note 60 % of its period.
    const double note = 0.6 * note_period;
    if (call.shape == CallShape::trill) f *= 1.0 - 0.3 * std::min(in_note / note, 1.0);
    phase += kTwoPi * f / sample_rate;
    double v = 0;
    switch (call.shape) {
      case CallShape::fm_sweep:
        v = std::sin(phase) * envelope(t, call.duration, 0.01);
        break;
      case CallShape::trill:
        v = in_note < note ? std::sin(phase) * envelope(in_note, note, note / 4) : 0.0;
        break;
      case CallShape::harmonic_stack:
        for (int k = 1; k <= call.harmonics; ++k) v += std::sin(k * phase) / k;
        v *= envelope(t, call.duration, 0.02) / 1.5;
        break;
      case CallShape::click_train:
        // 2 ms damped tone bursts at the carrier frequency.
        v = in_note < 0.002 ? std::sin(phase) * std::exp(-in_note / 0.0005) : 0.0;
        break;
    }
    if (index >= 0 && index < static_cast<std::int64_t>(out.size()))
      out[static_cast<std::size_t>(index)] += static_cast<float>(amplitude * v);
  }
}

void add_pink_noise(std::span<float> out, double rms, std::mt19937& rng) {
  if (out.empty()) return;
  std::normal_distribution<double> white(0.0, 1.0);
  double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
  std::vector<double> noise(out.size());
  double sum_sq = 0;
  for (double& x : noise) {
    const double w = white(rng);
    b0 = 0.99886 * b0 + w * 0.0555179;
    b1 = 0.99332 * b1 + w * 0.0750759;
    b2 = 0.96900 * b2 + w * 0.1538520;
    b3 = 0.86650 * b3 + w * 0.3104856;
    b4 = 0.55000 * b4 + w * 0.5329522;
    b5 = -0.7616 * b5 - w * 0.0168980;
    const double pink = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
    b6 = w * 0.115926;
    x = pink;
    sum_sq += pink * pink;
  }
  // Scaled to the exact RMS asked for, so SNRs built on it are what they say.
  const double scale = rms / std::sqrt(sum_sq / static_cast<double>(noise.size()) + 1e-30);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] += static_cast<float>(noise[i] * scale);
}

}  // namespace chorus::data
