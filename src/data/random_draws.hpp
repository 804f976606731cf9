#pragma once
// The few random draws the synthesisers are written in, so each reads as the range it draws
// from. All take the caller's generator: a file's content depends only on its own seed.

#include <cmath>
#include <random>

namespace chorus::data {

inline double uniform(std::mt19937& rng, double low, double high) {
  return std::uniform_real_distribution<double>(low, high)(rng);
}

inline int uniform_int(std::mt19937& rng, int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(rng);
}

// Uniform in log-frequency (equal chances per octave), as pitches are perceived and spread.
inline double log_uniform(std::mt19937& rng, double low, double high) {
  return std::exp(uniform(rng, std::log(low), std::log(high)));
}

// A factor in [1 - spread, 1 + spread].
inline double around_one(std::mt19937& rng, double spread) {
  return uniform(rng, 1 - spread, 1 + spread);
}

// White noise, uniform in [-1, 1): one generator step per sample, several times cheaper than a
// normal draw. Only ever used filtered or summed (pink noise, wind, rain), where the result is
// Gaussian anyway and the spectrum, not the sample distribution, is what is heard.
inline double white_sample(std::mt19937& rng) {
  return static_cast<double>(rng()) * (2.0 / 4294967296.0) - 1.0;
}

}  // namespace chorus::data
