#pragma once
// Synthetic backgrounds for the synthetic species: the layers real field recordings have under
// the animals, each at an exact RMS so the SNRs built on them hold. Pink noise (the generic
// floor, call_synth.hpp) plus rain (short broadband drop impacts in showers), wind (low-
// frequency rumble in gusts) and a distant chorus (many faint, low-passed calls of unlabelled
// animals, as a dawn chorus heard from afar).

#include <cstddef>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace chorus::synth {

// Rain: Poisson drops (each a burst of white noise decaying in 1–6 ms, log-normal strength)
// whose rate swells and fades in showers, over a faint hiss of the drops too small to resolve.
void add_rain(std::span<float> out, int sample_rate, double rms, std::mt19937& rng);

// Wind: white noise through a 4th-order low-pass at 120–400 Hz, its level swept by gusts
// (a few slow random sinusoids, 0.03–0.3 Hz).
void add_wind(std::span<float> out, int sample_rate, double rms, std::mt19937& rng);

// Distant chorus: 3–8 random calls per second of every shape over a 20 dB range of levels,
// low-passed at 2–4 kHz (4th order: air absorbs high frequencies over distance) and
// reverberated (0.4–1.2 s tail, as under a canopy). These animals are never labelled: a
// detector must learn to ignore them.
void add_distant_chorus(std::span<float> out, int sample_rate, double rms, std::mt19937& rng);

// The layers of one recording's background, as RMS relative to the pink floor (0 = absent).
struct BackgroundRecipe {
  double rain = 0;
  double wind = 0;
  double chorus = 0;
};

// Each optional layer present with probability 1/2 (rain at 0.5–2×, wind 1–4×, chorus 0.2–0.7×
// the pink floor's RMS).
BackgroundRecipe random_background(std::mt19937& rng);

// The layers present, space-separated: "pink rain wind".
std::string background_layers(const BackgroundRecipe& recipe);

// `samples` samples of the recipe's mix at a total RMS of `rms`.
std::vector<float> render_background(std::size_t samples, int sample_rate,
                                     const BackgroundRecipe& recipe, double rms, std::mt19937& rng);

}  // namespace chorus::synth
