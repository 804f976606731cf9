#pragma once
// Synthetic species: each a distinct parametric call (shape, frequency band, duration) sung in
// its own rhythm (calls per bout, spacing, pauses), all drawn from one seed. A quarter of them
// are made as look-alikes of another species (same shape, pitch 12–20 % apart, a different
// tempo), so a classifier has confusable pairs to separate, as with real sister species.
//
// Every recording has its own individual, which sings ±6 % higher or lower, ±15 % faster or
// slower and with calls ±15 % longer or shorter than the species' typical call; on top of that
// each call varies from the last (pitch ±2 %, length ±5 %, timing ±10 % of the spacing).

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "synth/call_synth.hpp"

namespace chorus::synth {

struct SyntheticSpecies {
  std::string label;         // "sp01" (BirdCLEF primary_label)
  std::string common_name;   // descriptive, from the call: "High rising whistler"
  std::string call_type;     // BirdCLEF `type`: "song" or "call"
  CallParams call;           // the call of an average individual
  double call_interval = 1;  // seconds from one call's onset to the next within a bout
  int bout_min = 1;          // calls per bout, at least
  int bout_max = 3;          // and at most
  double bout_gap = 2;       // seconds of silence between bouts (mean)
  int resembles = -1;        // index of the species this one was made to resemble, -1 if none
  FrequencyBand band;        // holds practically all energy of every call of every individual
  double latitude = 0;       // centre of its range, degrees
  double longitude = 0;
};

// No call reaches above this (the default mel f_max, under the Nyquist frequency of 32 kHz):
// the shapes' natural ranges stay below it, and a look-alike that would not is made lower.
inline constexpr double kHighestFrequency = 15000;  // Hz

// `count` species (labels sp01, sp02, …; three digits from 100 species) from `seed`: the same
// seed gives the same species. The call shapes take turns so all five appear from five species
// on, and species of one shape are kept at least 0.6 octaves apart where the shape's range
// allows.
std::vector<SyntheticSpecies> make_synthetic_species(int count, std::uint32_t seed);

// One animal's deviation from its species' typical call (factors, 1 = typical).
struct Individual {
  double pitch = 1;   // multiplies every frequency
  double tempo = 1;   // multiplies note and click rates, divides the spacing of calls
  double length = 1;  // multiplies call durations
};

// The range individuals are drawn from, and the call-to-call variation (± fractions).
inline constexpr double kIndividualPitchSpread = 0.06;
inline constexpr double kIndividualTempoSpread = 0.15;
inline constexpr double kIndividualLengthSpread = 0.15;
inline constexpr double kCallPitchJitter = 0.02;
inline constexpr double kCallLengthJitter = 0.05;
inline constexpr double kCallTimingJitter = 0.10;

Individual random_individual(std::mt19937& rng);

// The individual's call without call-to-call variation.
CallParams typical_call(const SyntheticSpecies& species, const Individual& individual);

// The individual's longest possible call, seconds.
double longest_call(const SyntheticSpecies& species, const Individual& individual);

struct TimedCall {
  double onset = 0;  // seconds
  CallParams call;
  double end() const { return onset + call.duration; }
};

// One bout: its first call at `start`, every call ending by `end` (fewer calls, or none, when
// the span is short).
std::vector<TimedCall> sing_bout(const SyntheticSpecies& species, const Individual& individual,
                                 double start, double end, std::mt19937& rng);

// Bouts separated by the species' pauses from `start` until `end`.
std::vector<TimedCall> sing(const SyntheticSpecies& species, const Individual& individual,
                            double start, double end, std::mt19937& rng);

}  // namespace chorus::synth
