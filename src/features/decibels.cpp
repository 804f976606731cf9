// Built with -O3 -ffast-math (src/features/CMakeLists.txt) so the logarithm loop vectorises
// through glibc's libmvec; inputs are finite, positive after the amin clamp.
#include "features/decibels.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace chorus::features {

float to_decibels(std::span<float> values, float multiplier, float amin) {
  float* v = values.data();
  const std::size_t n = values.size();
  float max_db = -std::numeric_limits<float>::infinity();
  // log10(x) = ln(x) · log10(e); logf vectorises where log10f may not.
  const float scale = multiplier * 0.43429448190325182765f;
  for (std::size_t i = 0; i < n; ++i) {
    const float db = scale * std::log(std::max(v[i], amin));
    v[i] = db;
    max_db = std::max(max_db, db);
  }
  return max_db;
}

void apply_top_db(std::span<float> values, float max_db, float top_db) {
  if (top_db <= 0) return;
  const float floor = max_db - top_db;
  for (float& x : values) x = std::max(x, floor);
}

}  // namespace chorus::features
