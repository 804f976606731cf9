#include "features/mel_filterbank.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/error.hpp"

namespace chorus::features {
namespace {

// Slaney's Auditory Toolbox: linear below 1 kHz, logarithmic above (librosa, torchaudio).
constexpr double kSlaneyFSp = 200.0 / 3.0;
constexpr double kSlaneyMinLogHz = 1000.0;
constexpr double kSlaneyMinLogMel = kSlaneyMinLogHz / kSlaneyFSp;
const double kSlaneyLogStep = std::log(6.4) / 27.0;

}  // namespace

double hz_to_mel(double hz, MelScale scale) {
  if (scale == MelScale::htk) return 2595.0 * std::log10(1.0 + hz / 700.0);
  if (hz < kSlaneyMinLogHz) return hz / kSlaneyFSp;
  return kSlaneyMinLogMel + std::log(hz / kSlaneyMinLogHz) / kSlaneyLogStep;
}

double mel_to_hz(double mel, MelScale scale) {
  if (scale == MelScale::htk) return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0);
  if (mel < kSlaneyMinLogMel) return mel * kSlaneyFSp;
  return kSlaneyMinLogHz * std::exp(kSlaneyLogStep * (mel - kSlaneyMinLogMel));
}

MelFilterbank::MelFilterbank(int n_freqs, double f_min, double f_max, int n_mels, int sample_rate,
                             MelScale scale, bool slaney_norm)
    : n_freqs_(n_freqs) {
  CHORUS_DCHECK(n_freqs >= 2 && n_mels >= 1);
  // torchaudio: all_freqs = linspace(0, sample_rate // 2, n_freqs); note the integer division.
  std::vector<double> bin_hz(n_freqs);
  const double nyquist = static_cast<double>(sample_rate / 2);
  for (int k = 0; k < n_freqs; ++k) bin_hz[k] = nyquist * k / (n_freqs - 1);
  // n_mels + 2 points equally spaced in mel; filter m rises from point m to m+1, falls to m+2.
  const double m_min = hz_to_mel(f_min, scale), m_max = hz_to_mel(f_max, scale);
  std::vector<double> f_pts(n_mels + 2);
  for (int i = 0; i < n_mels + 2; ++i)
    f_pts[i] = mel_to_hz(m_min + (m_max - m_min) * i / (n_mels + 1), scale);

  filters_.resize(n_mels);
  centres_hz_.assign(f_pts.begin() + 1, f_pts.end() - 1);
  for (int m = 0; m < n_mels; ++m) {
    const double left = f_pts[m], centre = f_pts[m + 1], right = f_pts[m + 2];
    const double norm = slaney_norm ? 2.0 / (right - left) : 1.0;
    Filter& filter = filters_[m];
    filter.first_bin = -1;
    for (int k = 0; k < n_freqs; ++k) {
      const double down = (bin_hz[k] - left) / (centre - left);
      const double up = (right - bin_hz[k]) / (right - centre);
      const double w = std::max(0.0, std::min(down, up)) * norm;
      if (w <= 0.0) {
        if (filter.first_bin >= 0) break;  // past the triangle
        continue;
      }
      if (filter.first_bin < 0) filter.first_bin = k;
      filter.weights.push_back(static_cast<float>(w));
    }
    // A band narrower than the bin spacing catches no bin (torchaudio warns and keeps the
    // all-zero filter); keep it empty likewise.
    if (filter.first_bin < 0) filter.first_bin = 0;
  }
}

void MelFilterbank::apply(const float* spectra, std::size_t stride, int count, float* mel) const {
  const auto frames = static_cast<std::size_t>(count);
  CHORUS_DCHECK(stride % kFrameLanes == 0 && frames <= stride);
  for (std::size_t m = 0; m < filters_.size(); ++m) {
    const Filter& f = filters_[m];
    const float* bins = spectra + static_cast<std::size_t>(f.first_bin) * stride;
    for (std::size_t j0 = 0; j0 < frames; j0 += kFrameLanes) {
      // Sums held in registers across the filter's bins (a fixed count of lanes).
      std::array<float, kFrameLanes> sums{};
      for (std::size_t i = 0; i < f.weights.size(); ++i) {
        const float w = f.weights[i];
        const float* s = bins + i * stride + j0;
        for (std::size_t l = 0; l < kFrameLanes; ++l) sums[l] += w * s[l];
      }
      std::copy_n(sums.begin(), std::min(kFrameLanes, frames - j0), mel + m * stride + j0);
    }
  }
}

std::vector<float> MelFilterbank::dense() const {
  std::vector<float> out(static_cast<std::size_t>(n_freqs_) * filters_.size(), 0.0f);
  for (std::size_t m = 0; m < filters_.size(); ++m)
    for (std::size_t i = 0; i < filters_[m].weights.size(); ++i)
      out[(filters_[m].first_bin + i) * filters_.size() + m] = filters_[m].weights[i];
  return out;
}

}  // namespace chorus::features
