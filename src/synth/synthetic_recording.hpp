#pragma once
// Single recordings of synthetic species: training clips (one focal individual, sometimes a
// fainter second species) and soundscapes (several species at random times), each over its own
// background, with every call listed as an event.
//
// SNR of a call: its mean power over its own span [t_start, t_end) against the background's
// mean power over the same span, in dB (the background holds every unlabelled layer, the
// distant chorus included). Calls are scaled to hit their SNR exactly.

#include <random>
#include <string>
#include <vector>

#include "synth/synthetic_species.hpp"

namespace chorus::synth {

struct SynthesisRanges {
  double clip_min_seconds = 3;  // clip length, uniform (longer when a call would not fit)
  double clip_max_seconds = 20;
  double clip_snr_low = 0;             // dB, focal species: the clip's SNR, uniform; each call
  double clip_snr_high = 20;           // varies ±1.5 dB around it within the range
  double secondary_probability = 0.3;  // a clip has a second species calling …
  double secondary_drop_low = 6;       // … this many dB under the focal one (uniform)
  double secondary_drop_high = 15;
  double soundscape_seconds = 60;
  double soundscape_snr_low = -5;   // dB, per spell of singing, uniform; each call ±1.5 dB
  double soundscape_snr_high = 15;  // within the range
  int soundscape_max_species = 5;   // 2 to this many species per soundscape, each singing in
                                    // 1–3 spells of 4–15 s at random times
};

struct SyntheticEvent {
  int species = 0;     // index into the species list
  double t_start = 0;  // seconds
  double t_end = 0;
  FrequencyBand band;  // the call's own band (call_band)
  double snr_db = 0;
};

struct SyntheticRecording {
  std::vector<float> samples;          // mono, peak below 0 dBFS
  std::vector<SyntheticEvent> events;  // every call of a labelled species, by onset
  std::string background;              // its layers: "pink rain wind chorus"
};

struct SyntheticClip {
  SyntheticRecording recording;
  int focal = 0;               // the clip's species
  std::vector<int> secondary;  // species heard fainter
  double snr_db = 0;           // the focal species' nominal SNR
};

SyntheticClip synthesise_clip(const std::vector<SyntheticSpecies>& species, int focal,
                              const SynthesisRanges& ranges, int sample_rate, std::mt19937& rng);

SyntheticRecording synthesise_soundscape(const std::vector<SyntheticSpecies>& species,
                                         const SynthesisRanges& ranges, int sample_rate,
                                         std::mt19937& rng);

// A soundscape's background alone (no call), at a soundscape's level: the "no call" recordings
// that training mixes into clips (augment.background_dir) so that a background does not stand for
// a species.
SyntheticRecording synthesise_background(const SynthesisRanges& ranges, int sample_rate,
                                         std::mt19937& rng);

}  // namespace chorus::synth
