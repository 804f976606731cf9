#include "data/waveform_match.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <mutex>
#include <vector>

namespace chorus::data {
namespace {

std::mutex g_planner_mutex;  // FFTW's planner is not thread-safe

std::size_t next_power_of_two(std::size_t n) {
  std::size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

}  // namespace

double peak_cross_correlation(std::span<const float> a, std::span<const float> b, int max_lag) {
  double energy_a = 0, energy_b = 0;
  for (float x : a) energy_a += static_cast<double>(x) * x;
  for (float x : b) energy_b += static_cast<double>(x) * x;
  if (energy_a <= 0 || energy_b <= 0) return 0.0;
  // Linear (not circular) correlation: pad to at least |a| + |b|.
  const std::size_t n = next_power_of_two(a.size() + b.size());
  std::vector<double> x(n, 0.0), y(n, 0.0), r(n);
  std::copy(a.begin(), a.end(), x.begin());
  std::copy(b.begin(), b.end(), y.begin());
  std::vector<std::complex<double>> fx(n / 2 + 1), fy(n / 2 + 1);
  fftw_plan forward_x, forward_y, inverse;
  {
    std::lock_guard lock(g_planner_mutex);
    forward_x = fftw_plan_dft_r2c_1d(static_cast<int>(n), x.data(),
                                     reinterpret_cast<fftw_complex*>(fx.data()), FFTW_ESTIMATE);
    forward_y = fftw_plan_dft_r2c_1d(static_cast<int>(n), y.data(),
                                     reinterpret_cast<fftw_complex*>(fy.data()), FFTW_ESTIMATE);
    inverse = fftw_plan_dft_c2r_1d(static_cast<int>(n), reinterpret_cast<fftw_complex*>(fx.data()),
                                   r.data(), FFTW_ESTIMATE);
  }
  fftw_execute(forward_x);
  fftw_execute(forward_y);
  // r[lag] = Σ y[i + lag]·x[i]: conj(X)·Y.
  for (std::size_t k = 0; k < fx.size(); ++k) fx[k] = std::conj(fx[k]) * fy[k];
  fftw_execute(inverse);
  {
    std::lock_guard lock(g_planner_mutex);
    fftw_destroy_plan(forward_x);
    fftw_destroy_plan(forward_y);
    fftw_destroy_plan(inverse);
  }
  double best = 0;
  const auto lags = static_cast<std::size_t>(std::max(0, max_lag));
  for (std::size_t lag = 0; lag <= lags && lag < n; ++lag) {
    best = std::max(best, r[lag]);                   // b later than a
    if (lag > 0) best = std::max(best, r[n - lag]);  // b earlier than a
  }
  return best / static_cast<double>(n) / std::sqrt(energy_a * energy_b);
}

}  // namespace chorus::data
