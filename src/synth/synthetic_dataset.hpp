#pragma once
// `chorus synth`: a labelled dataset of synthetic species in BirdCLEF layout, the embedded
// default for the demo and for self-contained tests.
//
//   train_metadata.csv      primary_label, secondary_labels (['sp03'] or []), type (['song']),
//                           filename (sp01/sp01_0003.ogg), rating (1.0–5.0 from the SNR),
//                           latitude, longitude, common_name, duration_s, snr_db
//   taxonomy.csv            primary_label, common_name, call_type, call_shape, f_low, f_high,
//                           call_seconds, call_interval_s, resembles
//   train_audio/<label>/<label>_NNNN.ogg   clips, one focal species each
//   soundscapes/soundscape_NN.ogg          longer recordings with several species
//   backgrounds/background_NN.ogg          (with backgrounds > 0) soundscape backgrounds, no call
//   soundscape_labels.csv   row_id (<soundscape_id>_<end_second>), soundscape_id, end_second,
//                           labels (space-separated, empty when none), background (its layers)
//   soundscape_events.csv   soundscape_id, label, t_start, t_end, f_low, f_high, snr_db: one row
//                           per call
//
// Every file has its own generator seeded from (seed, kind of file, index), so the same seed
// gives the same tables and the same samples whatever the number of threads.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/progress_sink.hpp"
#include "synth/synthetic_recording.hpp"

namespace chorus::synth {

struct SyntheticDatasetOptions {
  int species = 8;  // 1–999
  std::uint32_t seed = 1;
  int clips_per_species = 12;  // ≥ 1
  int soundscapes = 6;         // ≥ 0
  int backgrounds = 0;  // ≥ 0: backgrounds/background_NN.ogg, soundscape backgrounds without calls
  int sample_rate = 32000;  // Hz; ≥ 32000 (the calls reach 15 kHz)
  SynthesisRanges ranges;

  // Rejects impossible values with the option's name, its value and what was expected.
  void validate() const;
};

// Soundscape labels are per window of this many seconds, ending at 5, 10, … (BirdCLEF).
inline constexpr double kLabelWindowSeconds = 5;
// A call makes its species present in a window when at least this much of it lies inside the
// window — or half of the call, for calls shorter than twice this (so a short call counts in
// the window that holds most of it).
inline constexpr double kPresenceSeconds = 0.5;

// Whether a call spanning [t_start, t_end) counts in the window [window_start, window_end).
bool call_counts_in_window(double t_start, double t_end, double window_start, double window_end);

// The species present (by the rule above) in each whole window of a recording of `seconds`,
// each list sorted and without repeats.
std::vector<std::vector<int>> window_species(const std::vector<SyntheticEvent>& events,
                                             double seconds);

// BirdCLEF's 1–5 rating from a clip's SNR: 0 dB → 1.0, 20 dB → 5.0, in steps of 0.5.
double rating_for_snr(double snr_db);

struct SyntheticDatasetSummary {
  int species = 0;
  int clips = 0;
  double clip_seconds = 0;
  int soundscapes = 0;
  double soundscape_seconds = 0;
  int soundscape_events = 0;
};

// Writes the dataset under `root` (created if needed; files of an earlier run with the same
// names are replaced). The audio files are written concurrently on `threads` threads; the
// tables last, so they only ever name audio that exists. Files written are counted on
// `progress` when given.
SyntheticDatasetSummary write_synthetic_dataset(const std::filesystem::path& root,
                                                const SyntheticDatasetOptions& options, int threads,
                                                core::ProgressSink* progress = nullptr);

}  // namespace chorus::synth
