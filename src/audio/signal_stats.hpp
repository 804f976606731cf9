#pragma once
// Level statistics of a signal: what `chorus info` prints and what data cleaning ranks files by.

#include <cstdint>
#include <span>

namespace chorus::audio {

struct SignalStats {
  std::int64_t count = 0;  // samples seen
  double peak = 0;         // max |x|
  double mean = 0;
  double power = 0;     // mean(x²)
  double rms = 0;       // sqrt(power)
  double variance = 0;  // population variance
  double stddev = 0;
  double peak_dbfs() const;  // 20·log10(peak); -inf for silence
  double rms_dbfs() const;
};

// Accumulates block by block (a stream), in double precision so hour-long files keep the small
// terms.
class LevelMeter {
 public:
  void add(std::span<const float> samples);
  SignalStats stats() const;

 private:
  std::int64_t count_ = 0;
  double sum_ = 0, sum_sq_ = 0, peak_ = 0;
};

SignalStats compute_stats(std::span<const float> samples);

}  // namespace chorus::audio
