#include "synth/background_synth.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "audio/noise.hpp"
#include "synth/call_synth.hpp"
#include "synth/random_draws.hpp"

namespace chorus::synth {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;

// Second-order Butterworth low-pass (RBJ Audio EQ Cookbook, Q = 1/√2), applied in place.
void low_pass(std::span<float> x, int sample_rate, double cutoff) {
  const double w = kTwoPi * cutoff / sample_rate;
  const double alpha = std::sin(w) / std::numbers::sqrt2;
  const double a0 = 1 + alpha;
  const double b0 = (1 - std::cos(w)) / 2 / a0, b1 = 2 * b0, b2 = b0;
  const double a1 = -2 * std::cos(w) / a0, a2 = (1 - alpha) / a0;
  double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (float& v : x) {
    const double y = b0 * v + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = v;
    y2 = y1;
    y1 = y;
    v = static_cast<float>(y);
  }
}

// Schroeder's reverberator (four parallel feedback combs, then two all-passes; M. R. Schroeder,
// "Natural sounding artificial reverberation", JAES 1962), in place: the diffuse tail a call
// picks up over distance in vegetation. `rt60` is the time, seconds, for the tail to fall 60 dB;
// `dry` the share of the direct sound kept.
void reverberate(std::span<float> x, int sample_rate, double rt60, double dry) {
  const std::vector<float> input(x.begin(), x.end());
  std::vector<float> wet(x.size(), 0.0f);
  for (const double delay_ms : {29.7, 37.1, 41.1, 43.7}) {
    const auto delay = static_cast<std::size_t>(delay_ms * sample_rate / 1000);
    const auto feedback = static_cast<float>(std::pow(10.0, -3.0 * delay_ms / 1000 / rt60));
    std::vector<float> comb(x.size(), 0.0f);
    for (std::size_t i = 0; i < x.size(); ++i) {
      comb[i] = input[i] + (i >= delay ? feedback * comb[i - delay] : 0.0f);
      wet[i] += 0.25f * comb[i];
    }
  }
  for (const double delay_ms : {5.0, 1.7}) {
    const auto delay = static_cast<std::size_t>(delay_ms * sample_rate / 1000);
    constexpr float kGain = 0.7f;
    std::vector<float> out(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      const float delayed_in = i >= delay ? wet[i - delay] : 0.0f;
      const float delayed_out = i >= delay ? out[i - delay] : 0.0f;
      out[i] = -kGain * wet[i] + delayed_in + kGain * delayed_out;
    }
    wet.swap(out);
  }
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(dry * input[i] + wet[i]);
}

// A smooth random level in [floor, 1] over time: a few slow sinusoids with random frequencies
// (`low`–`high` Hz) and phases, so gusts and showers come and go without a visible period.
class SlowSwell {
 public:
  SlowSwell(double low, double high, double floor, std::mt19937& rng) : floor_(floor) {
    for (auto& [f, phase] : partials_) {
      f = uniform(rng, low, high);
      phase = uniform(rng, 0, kTwoPi);
    }
  }
  double at(double t) const {
    double s = 0;
    for (const auto& [f, phase] : partials_) s += std::sin(kTwoPi * f * t + phase);
    const double unit = 0.5 + 0.5 * s / static_cast<double>(partials_.size());  // in [0, 1]
    return floor_ + (1 - floor_) * unit * unit;
  }
  // Multiplies `x` by the level, evaluated once per millisecond: it changes by well under 1 %
  // in that time, and sines per sample would dominate the cost of a background.
  void apply(std::span<float> x, int sample_rate) const {
    const auto block = static_cast<std::size_t>(std::max(1, sample_rate / 1000));
    for (std::size_t start = 0; start < x.size(); start += block) {
      const auto level = static_cast<float>(at(static_cast<double>(start) / sample_rate));
      for (std::size_t i = start; i < std::min(x.size(), start + block); ++i) x[i] *= level;
    }
  }

 private:
  std::array<std::pair<double, double>, 3> partials_;
  double floor_;
};

std::vector<float> white_noise(std::size_t samples, std::mt19937& rng) {
  std::vector<float> noise(samples);
  for (float& v : noise) v = static_cast<float>(audio::white_sample(rng));
  return noise;
}

}  // namespace

void add_rain(std::span<float> out, int sample_rate, double rms, std::mt19937& rng) {
  const double seconds = static_cast<double>(out.size()) / sample_rate;
  const double peak_rate = uniform(rng, 20, 120);  // drops per second at a shower's height
  const SlowSwell shower(0.02, 0.15, 0.15, rng);
  // The hiss of countless tiny drops, 20 dB under the mean drop, swelling with the shower.
  std::vector<float> rain = white_noise(out.size(), rng);
  for (float& v : rain) v *= 0.1f;
  shower.apply(rain, sample_rate);
  std::exponential_distribution<double> gap(peak_rate);
  std::lognormal_distribution<double> strength(0.0, 0.8);
  // Poisson drops at the peak rate, thinned to the shower's current rate.
  for (double t = gap(rng); t < seconds; t += gap(rng)) {
    if (uniform(rng, 0, 1) > shower.at(t)) continue;
    const double decay_seconds = uniform(rng, 0.001, 0.006);
    const double decay = std::exp(-1.0 / (decay_seconds * sample_rate));  // per sample
    const auto first = static_cast<std::size_t>(t * sample_rate);
    const auto length = static_cast<std::size_t>(5 * decay_seconds * sample_rate);
    double level = strength(rng);
    for (std::size_t i = first; i < first + length && i < rain.size(); ++i, level *= decay)
      rain[i] += static_cast<float>(level * audio::white_sample(rng));
  }
  audio::add_at_rms(out, rain, rms);
}

void add_wind(std::span<float> out, int sample_rate, double rms, std::mt19937& rng) {
  std::vector<float> wind = white_noise(out.size(), rng);
  const double cutoff = uniform(rng, 120, 400);
  low_pass(wind, sample_rate, cutoff);
  low_pass(wind, sample_rate, cutoff);
  SlowSwell(0.03, 0.3, 0.05, rng).apply(wind, sample_rate);
  audio::add_at_rms(out, wind, rms);
}

void add_distant_chorus(std::span<float> out, int sample_rate, double rms, std::mt19937& rng) {
  std::vector<float> chorus(out.size(), 0.0f);
  const double seconds = static_cast<double>(out.size()) / sample_rate;
  std::exponential_distribution<double> gap(uniform(rng, 3, 8));
  std::uniform_int_distribution<int> shape(0, kCallShapeCount - 1);
  // Calls may start before the recording does, so it does not open in silence.
  for (double t = -1.0 + gap(rng); t < seconds; t += gap(rng)) {
    const CallParams call = random_call(static_cast<CallShape>(shape(rng)), rng);
    const double level = std::pow(10.0, uniform(rng, -20, 0) / 20);
    add_call(chorus, sample_rate, t, call, level);
  }
  // Air absorbs high frequencies over distance (4th order), and foliage adds a reverberant tail.
  const double cutoff = uniform(rng, 2000, 4000);
  low_pass(chorus, sample_rate, cutoff);
  low_pass(chorus, sample_rate, cutoff);
  reverberate(chorus, sample_rate, uniform(rng, 0.4, 1.2), 0.3);
  audio::add_at_rms(out, chorus, rms);
}

BackgroundRecipe random_background(std::mt19937& rng) {
  std::bernoulli_distribution present(0.5);
  BackgroundRecipe r;
  if (present(rng)) r.rain = uniform(rng, 0.5, 2.0);
  if (present(rng)) r.wind = uniform(rng, 1.0, 4.0);
  if (present(rng)) r.chorus = uniform(rng, 0.2, 0.7);
  return r;
}

std::string background_layers(const BackgroundRecipe& recipe) {
  std::string layers = "pink";
  if (recipe.rain > 0) layers += " rain";
  if (recipe.wind > 0) layers += " wind";
  if (recipe.chorus > 0) layers += " chorus";
  return layers;
}

std::vector<float> render_background(std::size_t samples, int sample_rate,
                                     const BackgroundRecipe& recipe, double rms,
                                     std::mt19937& rng) {
  std::vector<float> mix(samples, 0.0f);
  audio::add_pink_noise(mix, 1.0, rng);
  if (recipe.rain > 0) add_rain(mix, sample_rate, recipe.rain, rng);
  if (recipe.wind > 0) add_wind(mix, sample_rate, recipe.wind, rng);
  if (recipe.chorus > 0) add_distant_chorus(mix, sample_rate, recipe.chorus, rng);
  // The layers are independent, so their powers add; one exact rescale of the sum is simplest.
  std::vector<float> scaled(samples, 0.0f);
  audio::add_at_rms(scaled, mix, rms);
  return scaled;
}

}  // namespace chorus::synth
