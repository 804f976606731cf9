#include "synth/synthetic_recording.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "synth/background_synth.hpp"
#include "synth/random_draws.hpp"

namespace chorus::synth {
namespace {

// Calls vary in loudness around their bout's (or clip's) SNR by this much, dB.
constexpr double kCallLevelJitter = 1.5;
// Nothing is written within this many seconds of a recording's end, so no call is cut off.
constexpr double kTail = 0.05;
// Clips peak at −12 to −1 dBFS, as recordists set their levels differently; soundscapes keep
// their background at −40 to −30 dBFS RMS (a quiet site) and peak at most at −1 dBFS.
constexpr double kClipPeakLowDb = -12, kClipPeakHighDb = -1;
constexpr double kSoundscapeLevelLowDb = -40, kSoundscapeLevelHighDb = -30;
constexpr double kMaxPeakDb = -1;
constexpr double kClipBackgroundRms = 0.05;  // before the final peak scaling

double from_db(double db) { return std::pow(10.0, db / 20); }

double mean_power(std::span<const float> x) {
  double sum = 0;
  for (const float v : x) sum += static_cast<double>(v) * v;
  return x.empty() ? 0.0 : sum / static_cast<double>(x.size());
}

// The mix of one recording: a background, then calls each scaled to its SNR against the part of
// the background under it.
class CallMixer {
 public:
  CallMixer(std::vector<float> background, int sample_rate)
      : background_(std::move(background)), mix_(background_), sample_rate_(sample_rate) {}

  void add(int species, const TimedCall& timed, double snr_db) {
    std::vector<float> alone(static_cast<std::size_t>(timed.call.duration * sample_rate_), 0.0f);
    add_call(alone, sample_rate_, 0, timed.call, 1.0);
    const auto first = static_cast<std::size_t>(std::floor(timed.onset * sample_rate_));
    CHORUS_DCHECK(first + alone.size() <= mix_.size());
    const double call_power = mean_power(alone);
    const double background_power =
        mean_power(std::span<const float>(background_).subspan(first, alone.size()));
    if (call_power <= 0) return;
    const double gain = std::sqrt(background_power / call_power * std::pow(10.0, snr_db / 10));
    for (std::size_t i = 0; i < alone.size(); ++i)
      mix_[first + i] += static_cast<float>(gain * alone[i]);
    events_.push_back({species, timed.onset, timed.end(), call_band(timed.call), snr_db});
  }

  // The mix scaled by `gain`, events by onset.
  SyntheticRecording finish(double gain, std::string background_layers) {
    for (float& v : mix_) v = static_cast<float>(v * gain);
    std::stable_sort(
        events_.begin(), events_.end(),
        [](const SyntheticEvent& a, const SyntheticEvent& b) { return a.t_start < b.t_start; });
    return {std::move(mix_), std::move(events_), std::move(background_layers)};
  }

  double peak() const {
    float p = 0;
    for (const float v : mix_) p = std::max(p, std::abs(v));
    return p;
  }

 private:
  std::vector<float> background_;
  std::vector<float> mix_;
  std::vector<SyntheticEvent> events_;
  int sample_rate_;
};

double jittered_snr(std::mt19937& rng, double snr, double low, double high) {
  return std::clamp(snr + uniform(rng, -kCallLevelJitter, kCallLevelJitter), low, high);
}

std::size_t samples_for(double seconds, int sample_rate) {
  return static_cast<std::size_t>(std::llround(seconds * sample_rate));
}

}  // namespace

SyntheticClip synthesise_clip(const std::vector<SyntheticSpecies>& species, int focal,
                              const SynthesisRanges& ranges, int sample_rate, std::mt19937& rng) {
  const SyntheticSpecies& focal_species = species[static_cast<std::size_t>(focal)];
  const Individual individual = random_individual(rng);
  // Whole centiseconds, so duration_s in the metadata is exact; long enough for one call after
  // the start offset (at most 0.5 s) and the tail.
  const double drawn = uniform(rng, ranges.clip_min_seconds, ranges.clip_max_seconds);
  const double seconds =
      std::ceil(100 * std::max(drawn, longest_call(focal_species, individual) + 0.5 + 2 * kTail)) /
      100;
  const BackgroundRecipe recipe = random_background(rng);
  CallMixer mixer(render_background(samples_for(seconds, sample_rate), sample_rate, recipe,
                                    kClipBackgroundRms, rng),
                  sample_rate);

  SyntheticClip clip;
  clip.focal = focal;
  clip.snr_db = uniform(rng, ranges.clip_snr_low, ranges.clip_snr_high);
  for (const TimedCall& c :
       sing(focal_species, individual, uniform(rng, 0.1, 0.5), seconds - kTail, rng))
    mixer.add(focal, c, jittered_snr(rng, clip.snr_db, ranges.clip_snr_low, ranges.clip_snr_high));

  const bool with_secondary =
      species.size() > 1 && std::bernoulli_distribution(ranges.secondary_probability)(rng);
  if (with_secondary) {
    int other = uniform_int(rng, 0, static_cast<int>(species.size()) - 2);
    if (other >= focal) ++other;  // any species but the focal one
    const SyntheticSpecies& other_species = species[static_cast<std::size_t>(other)];
    const Individual other_individual = random_individual(rng);
    const double latest_start = seconds - kTail - longest_call(other_species, other_individual);
    const double drop = uniform(rng, ranges.secondary_drop_low, ranges.secondary_drop_high);
    if (latest_start > 0) {
      const auto bout = sing_bout(other_species, other_individual, uniform(rng, 0, latest_start),
                                  seconds - kTail, rng);
      for (const TimedCall& c : bout)
        mixer.add(other, c, jittered_snr(rng, clip.snr_db - drop, -100, 100));
      if (!bout.empty()) clip.secondary.push_back(other);
    }
  }
  const double peak = from_db(uniform(rng, kClipPeakLowDb, kClipPeakHighDb));
  clip.recording = mixer.finish(peak / std::max(mixer.peak(), 1e-12), background_layers(recipe));
  return clip;
}

SyntheticRecording synthesise_background(const SynthesisRanges& ranges, int sample_rate,
                                         std::mt19937& rng) {
  const BackgroundRecipe recipe = random_background(rng);
  const double level = from_db(uniform(rng, kSoundscapeLevelLowDb, kSoundscapeLevelHighDb));
  SyntheticRecording r;
  r.samples = render_background(samples_for(ranges.soundscape_seconds, sample_rate), sample_rate,
                                recipe, level, rng);
  r.background = background_layers(recipe);
  return r;
}

SyntheticRecording synthesise_soundscape(const std::vector<SyntheticSpecies>& species,
                                         const SynthesisRanges& ranges, int sample_rate,
                                         std::mt19937& rng) {
  const double seconds = ranges.soundscape_seconds;
  const BackgroundRecipe recipe = random_background(rng);
  const double level = from_db(uniform(rng, kSoundscapeLevelLowDb, kSoundscapeLevelHighDb));
  CallMixer mixer(
      render_background(samples_for(seconds, sample_rate), sample_rate, recipe, level, rng),
      sample_rate);

  std::vector<int> order(species.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  const int most = std::min(ranges.soundscape_max_species, static_cast<int>(species.size()));
  const int present = uniform_int(rng, std::min(2, most), most);
  for (int k = 0; k < present; ++k) {
    const int s = order[static_cast<std::size_t>(k)];
    const SyntheticSpecies& singer = species[static_cast<std::size_t>(s)];
    const Individual individual = random_individual(rng);
    const double latest_start = seconds - kTail - longest_call(singer, individual);
    for (int spells = uniform_int(rng, 1, 3); spells > 0 && latest_start > 0; --spells) {
      // A spell of singing: bouts at the species' own pace for 4–15 s, all at one distance
      // (one SNR, each call ±1.5 dB).
      const double spell_snr = uniform(rng, ranges.soundscape_snr_low, ranges.soundscape_snr_high);
      const double start = uniform(rng, 0, latest_start);
      const double end = std::min(seconds - kTail, start + uniform(rng, 4, 15));
      for (const TimedCall& c : sing(singer, individual, start,
                                     std::max(end, start + longest_call(singer, individual)), rng))
        mixer.add(
            s, c,
            jittered_snr(rng, spell_snr, ranges.soundscape_snr_low, ranges.soundscape_snr_high));
    }
  }
  const double limit = from_db(kMaxPeakDb);
  return mixer.finish(std::min(1.0, limit / std::max(mixer.peak(), 1e-12)),
                      background_layers(recipe));
}

}  // namespace chorus::synth
