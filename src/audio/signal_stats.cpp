#include "audio/signal_stats.hpp"

#include <cmath>
#include <limits>

namespace chorus::audio {
namespace {
double to_db(double amplitude) {
  return amplitude > 0 ? 20.0 * std::log10(amplitude) : -std::numeric_limits<double>::infinity();
}
}  // namespace

double SignalStats::peak_dbfs() const { return to_db(peak); }
double SignalStats::rms_dbfs() const { return to_db(rms); }

SignalStats compute_stats(std::span<const float> samples) {
  SignalStats s;
  if (samples.empty()) return s;
  double sum = 0, sum_sq = 0, peak = 0;
  for (float x : samples) {
    sum += x;
    sum_sq += static_cast<double>(x) * x;
    peak = std::max(peak, static_cast<double>(std::fabs(x)));
  }
  const double n = static_cast<double>(samples.size());
  s.peak = peak;
  s.mean = sum / n;
  s.power = sum_sq / n;
  s.rms = std::sqrt(s.power);
  s.variance = std::max(0.0, s.power - s.mean * s.mean);
  s.stddev = std::sqrt(s.variance);
  return s;
}

}  // namespace chorus::audio
