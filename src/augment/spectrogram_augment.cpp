#include "augment/spectrogram_augment.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"

namespace chorus::augment {
namespace {

float fill_value(const features::Spectrogram& s, MaskFill fill) {
  if (fill == MaskFill::zero || s.values.empty()) return 0.0f;
  if (fill == MaskFill::min) return *std::min_element(s.values.begin(), s.values.end());
  return static_cast<float>(std::accumulate(s.values.begin(), s.values.end(), 0.0) /
                            static_cast<double>(s.values.size()));
}

Stripe draw_stripe(int extent, int max_width, Rng& rng) {
  const int width = std::uniform_int_distribution<int>(0, std::min(max_width, extent))(rng);
  const int first = std::uniform_int_distribution<int>(0, extent - width)(rng);
  return {first, width};
}

void blend_targets(data::Target& a, const data::Target& b, double weight_a, bool max_labels) {
  CHORUS_CHECK(a.values.size() == b.values.size(), "mixing targets of {} and {} classes",
               a.values.size(), b.values.size());
  for (std::size_t c = 0; c < a.values.size(); ++c) {
    a.values[c] = max_labels
                      ? std::max(a.values[c], b.values[c])
                      : static_cast<float>(weight_a * a.values[c] + (1 - weight_a) * b.values[c]);
    // A class unknown in either (masked) stays out of the loss.
    a.mask[c] = std::min(a.mask[c], b.mask[c]);
  }
  a.weight = static_cast<float>(weight_a * a.weight + (1 - weight_a) * b.weight);
}

template <typename Op>
void for_rows_outside(features::Spectrogram& spec, int low_bin, int high_bin, Op op) {
  CHORUS_CHECK(0 <= low_bin && low_bin < high_bin && high_bin <= spec.n_bins,
               "band filter [{}, {}) outside the {} bins", low_bin, high_bin, spec.n_bins);
  for (int b = 0; b < spec.n_bins; ++b)
    if (b < low_bin || b >= high_bin)
      for (float& v : spec.row(b)) op(v);
}

}  // namespace

std::vector<Stripe> xy_mask(features::Spectrogram& spec, int time_masks, int max_time_width,
                            int freq_masks, int max_freq_width, MaskFill fill, Rng& rng) {
  const float value = fill_value(spec, fill);
  std::vector<Stripe> stripes;
  for (int i = 0; i < time_masks; ++i) {
    const Stripe s = draw_stripe(spec.n_frames, max_time_width, rng);
    for (int b = 0; b < spec.n_bins; ++b)
      for (int t = s.first; t < s.first + s.width; ++t) spec.at(b, t) = value;
    stripes.push_back(s);
  }
  for (int i = 0; i < freq_masks; ++i) {
    const Stripe s = draw_stripe(spec.n_bins, max_freq_width, rng);
    for (int b = s.first; b < s.first + s.width; ++b)
      std::fill_n(spec.row(b).begin(), spec.n_frames, value);
    stripes.push_back(s);
  }
  return stripes;
}

int horizontal_cutmix(features::Spectrogram& a, data::Target& a_target,
                      const features::Spectrogram& b, const data::Target& b_target, Rng& rng) {
  CHORUS_CHECK(a.n_bins == b.n_bins && a.n_frames == b.n_frames,
               "cutmix of {}×{} and {}×{} spectrograms", a.n_bins, a.n_frames, b.n_bins,
               b.n_frames);
  if (a.n_frames < 2) return a.n_frames;
  const int cut = std::uniform_int_distribution<int>(1, a.n_frames - 1)(rng);
  for (int bin = 0; bin < a.n_bins; ++bin)
    for (int t = cut; t < a.n_frames; ++t) a.at(bin, t) = b.at(bin, t);
  blend_targets(a_target, b_target, static_cast<double>(cut) / a.n_frames, false);
  return cut;
}

double mixup(std::span<float> a, data::Target& a_target, std::span<const float> b,
             const data::Target& b_target, double alpha, bool max_labels, Rng& rng) {
  CHORUS_CHECK(a.size() == b.size(), "mixup of {} and {} values", a.size(), b.size());
  CHORUS_CHECK_AS(ConfigError, alpha > 0, "mixup alpha = {}: expected > 0", alpha);
  // Beta(α, α) from two gammas.
  std::gamma_distribution<double> gamma(alpha, 1.0);
  const double x = gamma(rng), y = gamma(rng);
  const double lambda = x + y > 0 ? x / (x + y) : 0.5;
  for (std::size_t i = 0; i < a.size(); ++i)
    a[i] = static_cast<float>(lambda * a[i] + (1 - lambda) * b[i]);
  blend_targets(a_target, b_target, lambda, max_labels);
  return lambda;
}

void band_filter(features::Spectrogram& spec, int low_bin, int high_bin, float attenuation_db) {
  for_rows_outside(spec, low_bin, high_bin, [&](float& v) { v -= attenuation_db; });
}

void band_filter_power(features::Spectrogram& power, int low_bin, int high_bin,
                       float attenuation_db) {
  const auto factor = static_cast<float>(std::pow(10.0, -attenuation_db / 10.0));
  for_rows_outside(power, low_bin, high_bin, [&](float& v) { v *= factor; });
}

std::pair<int, int> mel_bands_of(const std::vector<double>& centres_hz, double low_hz,
                                 double high_hz) {
  CHORUS_CHECK(!centres_hz.empty() && low_hz <= high_hz, "mel bands of [{}, {}] Hz among {} bands",
               low_hz, high_hz, centres_hz.size());
  const auto index = [&](auto it) { return static_cast<int>(it - centres_hz.begin()); };
  const int first = index(std::lower_bound(centres_hz.begin(), centres_hz.end(), low_hz));
  const int end = index(std::upper_bound(centres_hz.begin(), centres_hz.end(), high_hz));
  if (first < end) return {first, end};
  // Narrower than a band: the band whose centre is nearest the box's centre.
  const double middle = (low_hz + high_hz) / 2;
  const int n = static_cast<int>(centres_hz.size());
  int nearest = std::clamp(first, 0, n - 1);
  const auto centre = [&](int i) { return centres_hz[static_cast<std::size_t>(i)]; };
  if (nearest > 0 && middle - centre(nearest - 1) < centre(nearest) - middle) --nearest;
  return {nearest, nearest + 1};
}

}  // namespace chorus::augment
