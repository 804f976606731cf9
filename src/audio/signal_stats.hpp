#pragma once
// Level statistics of a signal: what `chorus info` prints and what data cleaning ranks files by.

#include <span>

namespace chorus::audio {

struct SignalStats {
  double peak = 0;      // max |x|
  double rms = 0;       // sqrt(mean(x²))
  double mean = 0;
  double stddev = 0;    // population standard deviation
  double variance = 0;
  double power = 0;     // mean(x²)
  double peak_dbfs() const;  // 20·log10(peak), -inf for silence
  double rms_dbfs() const;
};

// Accumulates in double precision so hour-long files do not lose the small terms.
SignalStats compute_stats(std::span<const float> samples);

}  // namespace chorus::audio
