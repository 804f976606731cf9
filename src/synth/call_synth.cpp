#include "synth/call_synth.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include "synth/random_draws.hpp"

namespace chorus::synth {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;

// A click is a Gaussian-windowed tone burst (a Gabor atom): unlike a damped burst that starts
// abruptly, its spectrum is a Gaussian around the carrier, so a click train stays in its band
// (power spectrum σ = 1 / (2√2·π·σ_t) ≈ 225 Hz).
constexpr double kClickSigma = 0.0005;            // seconds
constexpr double kClickLength = 6 * kClickSigma;  // ±3σ
constexpr double kClickSpread = 1200;             // Hz each side of the carrier, > 5σ

// A raised-cosine fade of T seconds smears a tone over a main lobe of ±1/T; beyond ±2/T what
// is left is more than 30 dB down.
constexpr double kFadeSmear = 2.0;  // cycles over the fade

// sin(x) for x in [0, 2π): folded onto [−π/2, π/2] and summed as its Taylor series to x¹¹
// (error below 6e-8, far under 16-bit or Vorbis resolution). Calls are synthesised sample by
// sample, and libm's sin there cost more than everything else together.
double fast_sin(double x) {
  if (x > std::numbers::pi) x -= kTwoPi;  // [−π, π)
  if (x > std::numbers::pi / 2)
    x = std::numbers::pi - x;  // sin(π − x) = sin x
  else if (x < -std::numbers::pi / 2)
    x = -std::numbers::pi - x;
  const double x2 = x * x;
  return x * (1 + x2 * (-1.0 / 6 +
                        x2 * (1.0 / 120 +
                              x2 * (-1.0 / 5040 + x2 * (1.0 / 362880 + x2 * (-1.0 / 39916800))))));
}

// Advances a phase by `step` radians, kept in [0, 2π) for fast_sin.
void advance(double& phase, double step) {
  phase += step;
  if (phase >= kTwoPi) phase -= kTwoPi;
}

// A trill's notes fill 60 % of their period, each sweeping down by 30 % of its frequency.
constexpr double kTrillNoteShare = 0.6;
constexpr double kTrillNoteDrop = 0.3;

// Seconds of the raised-cosine fade at each end of a call (of each note, for a trill). Clicks
// have their own Gaussian envelope.
double fade_seconds(const CallParams& call) {
  switch (call.shape) {
    case CallShape::fm_sweep:
      return 0.01;
    case CallShape::warble:
      return 0.03;
    case CallShape::harmonic_stack:
      return 0.02;
    case CallShape::trill:
      return kTrillNoteShare / call.rate / 4;
    case CallShape::click_train:
      break;
  }
  return 0;
}

// Raised-cosine fade of `fade` seconds at both ends of a note of `length` seconds.
double envelope(double t, double length, double fade) {
  fade = std::min(fade, length / 2);
  if (t < fade) return 0.5 - 0.5 * std::cos(std::numbers::pi * t / fade);
  if (t > length - fade) return 0.5 - 0.5 * std::cos(std::numbers::pi * (length - t) / fade);
  return 1.0;
}

}  // namespace

std::string_view call_shape_name(CallShape shape) {
  switch (shape) {
    case CallShape::fm_sweep:
      return "fm_sweep";
    case CallShape::trill:
      return "trill";
    case CallShape::harmonic_stack:
      return "harmonic_stack";
    case CallShape::click_train:
      return "click_train";
    case CallShape::warble:
      return "warble";
  }
  return "unknown";
}

void add_call(std::span<float> out, int sample_rate, double onset, const CallParams& call,
              double amplitude) {
  const auto first = static_cast<std::int64_t>(std::floor(onset * sample_rate));
  const auto count = std::min(static_cast<std::int64_t>(call.duration * sample_rate),
                              static_cast<std::int64_t>(out.size()) - first);
  const double nyquist = sample_rate / 2.0;
  const double dt = 1.0 / sample_rate;
  // The frequency glides exponentially (linearly in log-frequency) from f_start to f_end: one
  // multiplication per sample instead of a pow.
  const double glide_step =
      std::exp(std::log(call.f_end / call.f_start) / (call.duration * sample_rate));
  double glide = call.f_start;
  double phase = 0;
  double wobble = 0;  // the warble's modulation phase
  const double note_period = call.rate > 0 ? 1.0 / call.rate : call.duration;
  // A trill is a train of fast down-sweeps.
  const double note = kTrillNoteShare * note_period;
  const double fade = fade_seconds(call);
  double in_note = 0;  // seconds since the current note (or click) began
  for (std::int64_t i = 0; i < count; ++i, glide *= glide_step, in_note += dt) {
    if (in_note >= note_period) in_note -= note_period;
    const std::int64_t index = first + i;
    const double t = static_cast<double>(i) * dt;
    double f = glide;
    if (call.shape == CallShape::trill) f *= 1.0 - kTrillNoteDrop * std::min(in_note / note, 1.0);
    if (call.shape == CallShape::warble) {
      f *= 1.0 + call.depth * fast_sin(wobble);
      advance(wobble, kTwoPi * call.rate * dt);
    }
    advance(phase, kTwoPi * f * dt);
    if (index < 0) continue;
    double v = 0;
    switch (call.shape) {
      case CallShape::fm_sweep:
      case CallShape::warble:
        v = fast_sin(phase) * envelope(t, call.duration, fade);
        break;
      case CallShape::trill:
        if (in_note < note) v = fast_sin(phase) * envelope(in_note, note, fade);
        break;
      case CallShape::harmonic_stack: {
        // sin(kθ) by the Chebyshev recurrence sin((k+1)θ) = 2 cos θ sin(kθ) − sin((k−1)θ).
        double quarter_turn = phase;
        advance(quarter_turn, std::numbers::pi / 2);
        const double two_cos = 2 * fast_sin(quarter_turn);  // cos θ = sin(θ + π/2)
        double previous = 0, current = fast_sin(phase);
        for (int k = 1; k <= call.harmonics && k * f < nyquist; ++k) {
          v += current / k;
          const double next = two_cos * current - previous;
          previous = current;
          current = next;
        }
        v *= envelope(t, call.duration, fade) / 1.5;
        break;
      }
      case CallShape::click_train:
        if (in_note < kClickLength) {
          const double z = (in_note - kClickLength / 2) / kClickSigma;
          v = fast_sin(phase) * std::exp(-0.5 * z * z);
        }
        break;
    }
    out[static_cast<std::size_t>(index)] += static_cast<float>(amplitude * v);
  }
}

FrequencyBand call_band(const CallParams& call) {
  double low = std::min(call.f_start, call.f_end);
  double high = std::max(call.f_start, call.f_end);
  switch (call.shape) {
    case CallShape::fm_sweep:
      break;
    case CallShape::trill:
      low *= 1 - kTrillNoteDrop;
      break;
    case CallShape::warble:
      low *= 1 - call.depth;
      high *= 1 + call.depth;
      break;
    case CallShape::harmonic_stack:
      high *= call.harmonics;
      break;
    case CallShape::click_train:
      return {std::max(0.0, low - kClickSpread), high + kClickSpread};
  }
  const double smear = kFadeSmear / fade_seconds(call);
  return {std::max(0.0, low - smear), high + smear};
}

CallParams pitch_shifted(CallParams call, double factor) {
  call.f_start *= factor;
  call.f_end *= factor;
  return call;
}

CallParams random_call(CallShape shape, std::mt19937& rng) {
  // Per shape (in enum order): start frequency (Hz, log-uniform), end / start (log-uniform),
  // duration (s), notes or wobbles per second (0: none).
  struct NaturalRange {
    double f_low, f_high, glide_low, glide_high, duration_low, duration_high, rate_low, rate_high;
  };
  static constexpr NaturalRange kRanges[kCallShapeCount] = {
      {1500, 6000, 1.3, 2.2, 0.15, 0.6, 0, 0},      // fm_sweep: a whistled slur, 0.4–1.1 octaves
      {2500, 8000, 0.85, 1.15, 0.6, 1.6, 8, 25},    // trill
      {250, 900, 0.85, 1.15, 0.12, 0.5, 0, 0},      // harmonic_stack: a croak or caw
      {4000, 11000, 0.95, 1.05, 0.8, 2.5, 15, 60},  // click_train: stridulation
      {2000, 6000, 0.8, 1.25, 0.6, 1.8, 5, 14},     // warble
  };
  const NaturalRange& r = kRanges[static_cast<int>(shape)];
  CallParams c;
  c.shape = shape;
  c.f_start = log_uniform(rng, r.f_low, r.f_high);
  c.f_end = c.f_start * log_uniform(rng, r.glide_low, r.glide_high);
  c.duration = uniform(rng, r.duration_low, r.duration_high);
  c.rate = r.rate_high > 0 ? uniform(rng, r.rate_low, r.rate_high) : 0;
  if (shape == CallShape::fm_sweep && std::bernoulli_distribution(0.5)(rng))
    std::swap(c.f_start, c.f_end);  // falling instead of rising
  if (shape == CallShape::harmonic_stack) c.harmonics = uniform_int(rng, 3, 8);
  if (shape == CallShape::warble) c.depth = uniform(rng, 0.08, 0.2);
  return c;
}

}  // namespace chorus::synth
