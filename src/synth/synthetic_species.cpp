#include "synth/synthetic_species.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>
#include <set>

#include "core/error.hpp"
#include "synth/random_draws.hpp"

namespace chorus::synth {
namespace {

// Calls within a bout start at least this many call lengths plus this many seconds apart, so
// that even the fastest individual with the longest calls and timing jitter never overlaps
// its own calls (1.6 / 1.15 tempo × 0.9 timing > 1.15 length × 1.05 jitter).
constexpr double kMinSpacing = 1.6;
constexpr double kMinPause = 0.15;

// A factor of `low`..`high` or its inverse: a look-alike is higher or lower, faster or slower.
double either_way(std::mt19937& rng, double low, double high) {
  const double f = uniform(rng, low, high);
  return std::bernoulli_distribution(0.5)(rng) ? f : 1 / f;
}

bool has_rate(CallShape shape) {
  return shape == CallShape::trill || shape == CallShape::click_train || shape == CallShape::warble;
}

double band_centre_octaves(const CallParams& call) {
  const FrequencyBand b = call_band(call);
  return 0.5 * (std::log2(std::max(b.low, 50.0)) + std::log2(b.high));
}

// The call of a new species of `shape`, as far (in octaves of band centre) from the species of
// the same shape already made as 30 draws manage; 0.6 octaves is far enough to stop looking.
CallParams distinct_call(CallShape shape, const std::vector<SyntheticSpecies>& made,
                         std::mt19937& rng) {
  CallParams best;
  double best_distance = -1;
  for (int attempt = 0; attempt < 30 && best_distance < 0.6; ++attempt) {
    const CallParams c = random_call(shape, rng);
    double distance = 1e9;
    for (const SyntheticSpecies& s : made)
      if (s.call.shape == shape)
        distance =
            std::min(distance, std::abs(band_centre_octaves(c) - band_centre_octaves(s.call)));
    if (distance > best_distance) {
      best = c;
      best_distance = distance;
    }
  }
  return best;
}

// Calls per bout and spacing: short calls come in series (a thrush's phrase, a frog's croaks),
// long ones alone or in twos and threes.
void draw_rhythm(SyntheticSpecies& s, std::mt19937& rng) {
  s.call_interval = uniform(rng, kMinSpacing, 2.8) * s.call.duration + uniform(rng, kMinPause, 0.6);
  const bool short_calls =
      s.call.shape == CallShape::fm_sweep || s.call.shape == CallShape::harmonic_stack;
  s.bout_min = short_calls ? uniform_int(rng, 2, 3) : 1;
  s.bout_max = s.bout_min + uniform_int(rng, short_calls ? 1 : 0, 3);
  s.bout_gap = uniform(rng, 1.0, 4.0);
  const bool tonal_song =
      s.call.shape != CallShape::harmonic_stack && s.call.shape != CallShape::click_train;
  s.call_type = tonal_song ? "song" : "call";
}

// The band every individual's every call stays in: the call at the lowest and highest pitch an
// individual and a call's jitter can reach.
FrequencyBand species_band(const CallParams& call) {
  const double lowest = (1 - kIndividualPitchSpread) * (1 - kCallPitchJitter);
  const double highest = (1 + kIndividualPitchSpread) * (1 + kCallPitchJitter);
  return {call_band(pitch_shifted(call, lowest)).low, call_band(pitch_shifted(call, highest)).high};
}

// Same shape and rhythm pattern, pitch 12–20 % away, a different length and pace: close enough
// that individual variation makes some recordings ambiguous.
SyntheticSpecies look_alike(const SyntheticSpecies& model, int model_index, std::mt19937& rng) {
  SyntheticSpecies s = model;
  s.resembles = model_index;
  double shift = either_way(rng, 1.12, 1.2);
  if (species_band(pitch_shifted(model.call, shift)).high > kHighestFrequency)
    shift = std::min(shift, 1 / shift);
  s.call = pitch_shifted(model.call, shift);
  s.call.duration *= either_way(rng, 1.1, 1.25);
  if (has_rate(s.call.shape)) s.call.rate *= either_way(rng, 1.15, 1.3);
  if (s.call.shape == CallShape::harmonic_stack)
    s.call.harmonics =
        std::clamp(s.call.harmonics + (std::bernoulli_distribution(0.5)(rng) ? 1 : -1), 2, 9);
  s.call_interval = std::max(kMinSpacing * s.call.duration + kMinPause,
                             model.call_interval * either_way(rng, 1.25, 1.4));
  s.latitude = model.latitude + uniform(rng, -5, 5);
  s.longitude = model.longitude + uniform(rng, -5, 5);
  return s;
}

std::string describe_call(const CallParams& call) {
  const double centre = std::sqrt(call.f_start * call.f_end);
  const char* pitch = centre < 600    ? "Deep"
                      : centre < 1200 ? "Low"
                      : centre < 2500 ? "Mid"
                      : centre < 5000 ? "High"
                                      : "Shrill";
  switch (call.shape) {
    case CallShape::fm_sweep:
      return fmt::format("{} {} whistler", pitch, call.f_end > call.f_start ? "rising" : "falling");
    case CallShape::trill:
      return fmt::format("{} triller", pitch);
    case CallShape::harmonic_stack:
      return fmt::format("{} croaker", pitch);
    case CallShape::click_train:
      return fmt::format("{} clicker", pitch);
    case CallShape::warble:
      return fmt::format("{} warbler", pitch);
  }
  return "Unknown";
}

// Look-alikes are named after their model, as field guides do ("Lesser …" sings higher, as
// smaller animals do); a name already taken gets a region.
void name_species(std::vector<SyntheticSpecies>& species) {
  static constexpr const char* kRegions[] = {"Northern", "Southern", "Eastern", "Western",
                                             "Island",   "Mountain", "Forest",  "Marsh"};
  std::set<std::string> taken;
  for (SyntheticSpecies& s : species) {
    std::string name = describe_call(s.call);
    if (s.resembles >= 0) {
      const SyntheticSpecies& model = species[static_cast<std::size_t>(s.resembles)];
      std::string model_name = model.common_name;
      model_name[0] = static_cast<char>(std::tolower(model_name[0]));
      name = fmt::format("{} {}", s.call.f_start > model.call.f_start ? "Lesser" : "Greater",
                         model_name);
    }
    std::string unique = name;
    for (std::size_t r = 0; taken.count(unique) > 0; ++r)
      unique = r < std::size(kRegions) ? fmt::format("{} {}", kRegions[r], name)
                                       : fmt::format("{} {}", name, s.label);
    s.common_name = unique;
    taken.insert(unique);
  }
}

}  // namespace

std::vector<SyntheticSpecies> make_synthetic_species(int count, std::uint32_t seed) {
  CHORUS_CHECK(count >= 1 && count <= 999, "the number of species {} must be 1 to 999", count);
  std::mt19937 rng(seed);
  std::vector<int> shapes(kCallShapeCount);
  std::iota(shapes.begin(), shapes.end(), 0);
  std::shuffle(shapes.begin(), shapes.end(), rng);

  const int look_alikes = count / 4;
  const int originals = count - look_alikes;
  std::vector<SyntheticSpecies> species;
  for (int i = 0; i < originals; ++i) {
    SyntheticSpecies s;
    s.call =
        distinct_call(static_cast<CallShape>(shapes[static_cast<std::size_t>(i % kCallShapeCount)]),
                      species, rng);
    draw_rhythm(s, rng);
    s.latitude = uniform(rng, -35, 60);
    s.longitude = uniform(rng, -120, 150);
    species.push_back(s);
  }
  // Each look-alike copies a different original (the first ones after a shuffle).
  std::vector<int> models(static_cast<std::size_t>(originals));
  std::iota(models.begin(), models.end(), 0);
  std::shuffle(models.begin(), models.end(), rng);
  for (int i = 0; i < look_alikes; ++i) {
    const int model = models[static_cast<std::size_t>(i)];
    species.push_back(look_alike(species[static_cast<std::size_t>(model)], model, rng));
  }

  const int digits = count >= 100 ? 3 : 2;
  for (std::size_t i = 0; i < species.size(); ++i) {
    species[i].label = fmt::format("sp{:0{}}", i + 1, digits);
    species[i].band = species_band(species[i].call);
  }
  name_species(species);
  return species;
}

Individual random_individual(std::mt19937& rng) {
  Individual a;
  a.pitch = around_one(rng, kIndividualPitchSpread);
  a.tempo = around_one(rng, kIndividualTempoSpread);
  a.length = around_one(rng, kIndividualLengthSpread);
  return a;
}

CallParams typical_call(const SyntheticSpecies& species, const Individual& individual) {
  CallParams c = pitch_shifted(species.call, individual.pitch);
  c.duration *= individual.length;
  c.rate *= individual.tempo;
  return c;
}

double longest_call(const SyntheticSpecies& species, const Individual& individual) {
  return typical_call(species, individual).duration * (1 + kCallLengthJitter);
}

std::vector<TimedCall> sing_bout(const SyntheticSpecies& species, const Individual& individual,
                                 double start, double end, std::mt19937& rng) {
  const CallParams typical = typical_call(species, individual);
  const double spacing = species.call_interval / individual.tempo;
  const int calls = uniform_int(rng, species.bout_min, species.bout_max);
  std::vector<TimedCall> bout;
  for (int k = 0; k < calls; ++k) {
    TimedCall c;
    c.onset = start + k * spacing + (k > 0 ? uniform(rng, -1, 1) * kCallTimingJitter * spacing : 0);
    c.call = pitch_shifted(typical, around_one(rng, kCallPitchJitter));
    c.call.duration *= around_one(rng, kCallLengthJitter);
    if (c.end() > end) break;
    bout.push_back(c);
  }
  return bout;
}

std::vector<TimedCall> sing(const SyntheticSpecies& species, const Individual& individual,
                            double start, double end, std::mt19937& rng) {
  std::vector<TimedCall> calls;
  for (double t = start; t < end;) {
    const std::vector<TimedCall> bout = sing_bout(species, individual, t, end, rng);
    if (bout.empty()) break;
    calls.insert(calls.end(), bout.begin(), bout.end());
    t = bout.back().end() + species.bout_gap * uniform(rng, 0.5, 1.5);
  }
  return calls;
}

}  // namespace chorus::synth
