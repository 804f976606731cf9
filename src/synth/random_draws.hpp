#pragma once
// The few random draws the synthesisers are written in, so each reads as the range it draws
// from. All take the caller's generator: a file's content depends only on its own seed.

#include <cmath>
#include <random>

namespace chorus::synth {

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

}  // namespace chorus::synth
