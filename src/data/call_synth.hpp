#pragma once
// Parametric animal calls and backgrounds: the building blocks of chorus's synthetic species
// (the embedded default for the demo and for self-contained tests). Each call shape is a
// family seen in real recordings: tonal FM sweeps (many passerines), trills (repeated short
// notes), harmonic stacks (corvids, frogs), click trains (insects, some frogs).

#include <random>
#include <span>

namespace chorus::data {

enum class CallShape { fm_sweep, trill, harmonic_stack, click_train };

struct CallParams {
  CallShape shape = CallShape::fm_sweep;
  double f_start = 3000;   // Hz at the call's start
  double f_end = 5000;     // Hz at its end (linear in log-frequency)
  double duration = 0.5;   // seconds
  double rate = 12;        // notes or clicks per second (trill, click_train)
  int harmonics = 4;       // partials of a harmonic stack (amplitude 1/k)
};

// Adds one call starting at `onset` seconds with peak amplitude `amplitude`, with a raised-
// cosine envelope so it has no clicks at its edges. Parts outside `out` are dropped.
void add_call(std::span<float> out, int sample_rate, double onset, const CallParams& call,
              double amplitude);

// Adds pink (1/f) noise of the given RMS (Paul Kellet's refined filter over white noise).
void add_pink_noise(std::span<float> out, double rms, std::mt19937& rng);

}  // namespace chorus::data
