#include "features/normalize.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace chorus::features {

void normalize(std::span<float> values, Normalization kind) {
  if (kind == Normalization::none || values.empty()) return;
  constexpr double kEps = 1e-7;
  if (kind == Normalization::minmax) {
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    const float min = *lo;
    const float range = static_cast<float>(*hi - *lo + kEps);
    for (float& x : values) x = (x - min) / range;
    return;
  }
  double sum = 0, sum_sq = 0;
  for (float x : values) {
    sum += x;
    sum_sq += static_cast<double>(x) * x;
  }
  const double n = static_cast<double>(values.size());
  const double mean = sum / n;
  const double stddev = std::sqrt(std::max(0.0, sum_sq / n - mean * mean));
  const auto scale = static_cast<float>(1.0 / (stddev + kEps));
  for (float& x : values) x = (x - static_cast<float>(mean)) * scale;
}

}  // namespace chorus::features
