#pragma once
// Generated test signals, computed in double precision.

#include <vector>

namespace chorus::testing {

// Exponential sine sweep from f0 to f1 Hz over `seconds`, amplitude `amplitude`. Its phase is
// an analytic function of time, so the same sweep can be generated at any rate and compared.
std::vector<float> sine_sweep(int sample_rate, double seconds, double f0, double f1,
                              double amplitude = 0.5);
std::vector<float> sine(int sample_rate, double seconds, double hz, double amplitude = 0.5);
std::vector<float> white_noise(int sample_rate, double seconds, double rms, unsigned seed);

// 10·log10(Σref² / Σ(x−ref)²) over [first, last).
double snr_db(const std::vector<float>& x, const std::vector<float>& reference, std::size_t first,
              std::size_t last);

}  // namespace chorus::testing
