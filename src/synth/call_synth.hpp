#pragma once
// Parametric animal calls and backgrounds: the building blocks of chorus's synthetic species
// (the embedded default for the demo and for self-contained tests). Each call shape is a
// family seen in real recordings: tonal FM sweeps (many passerines), trills (repeated short
// notes), harmonic stacks (corvids, frogs), click trains (insects, some frogs), warbles
// (a tone wobbling in pitch: thrushes, some warblers).

#include <random>
#include <span>
#include <string_view>

namespace chorus::synth {

enum class CallShape { fm_sweep, trill, harmonic_stack, click_train, warble };
inline constexpr int kCallShapeCount = 5;

// "fm_sweep", "trill", … (the enumerator's name, for tables).
std::string_view call_shape_name(CallShape shape);

struct CallParams {
  CallShape shape = CallShape::fm_sweep;
  double f_start = 3000;  // Hz at the call's start
  double f_end = 5000;    // Hz at its end (linear in log-frequency)
  double duration = 0.5;  // seconds
  double rate = 12;       // notes or clicks per second (trill, click_train); wobbles per
                          // second (warble)
  int harmonics = 4;      // partials of a harmonic stack (amplitude 1/k)
  double depth = 0.15;    // warble: pitch excursion, ± fraction of the frequency
};

// Adds one call starting at `onset` seconds with peak amplitude `amplitude`, with a raised-
// cosine envelope so it has no clicks at its edges. Parts outside `out` are dropped, and so are
// harmonics above the Nyquist frequency (they would alias).
void add_call(std::span<float> out, int sample_rate, double onset, const CallParams& call,
              double amplitude);

// The frequency range holding practically all of a call's energy (everything outside it is more
// than 30 dB down in total): the glide and the shape's own spread, plus the spectral smear of
// its envelope.
struct FrequencyBand {
  double low = 0;   // Hz
  double high = 0;  // Hz
};
FrequencyBand call_band(const CallParams& call);

// The call with every frequency multiplied by `factor` (a higher- or lower-pitched singer).
CallParams pitch_shifted(CallParams call, double factor);

// A call of `shape` with parameters drawn from the shape's natural range (frequencies,
// durations and rates of the real families named above).
CallParams random_call(CallShape shape, std::mt19937& rng);

}  // namespace chorus::synth
