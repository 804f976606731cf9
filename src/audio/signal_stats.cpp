#include "audio/signal_stats.hpp"

#include <algorithm>
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

void LevelMeter::add(std::span<const float> samples) {
  for (float x : samples) {
    sum_ += x;
    sum_sq_ += static_cast<double>(x) * x;
    peak_ = std::max(peak_, static_cast<double>(std::fabs(x)));
  }
  count_ += static_cast<std::int64_t>(samples.size());
}

SignalStats LevelMeter::stats() const {
  SignalStats s;
  s.count = count_;
  if (count_ == 0) return s;
  const double n = static_cast<double>(count_);
  s.peak = peak_;
  s.mean = sum_ / n;
  s.power = sum_sq_ / n;
  s.rms = std::sqrt(s.power);
  s.variance = std::max(0.0, s.power - s.mean * s.mean);
  s.stddev = std::sqrt(s.variance);
  return s;
}

SignalStats compute_stats(std::span<const float> samples) {
  LevelMeter meter;
  meter.add(samples);
  return meter.stats();
}

}  // namespace chorus::audio
