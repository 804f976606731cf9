#pragma once
// Which recordings of a training set to keep: exact and near duplicates go (the first occurrence
// stays), then of the rest only those with T = std + var + rms + pwr at or below a quantile
// (BirdCLEF 2024 1st place kept the lowest 80 %: the loudest, noisiest clips were mostly
// mislabelled or dominated by noise).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "data/recording_profile.hpp"

namespace chorus::data {

struct CleaningOptions {
  double keep_quantile = 0.8;               // keep T ≤ this quantile of T (1 = keep all)
  double candidate_similarity = 0.9;        // fingerprint similarity that makes a candidate pair
  double near_duplicate_similarity = 0.9;   // waveform correlation that confirms a candidate
  double duration_tolerance_seconds = 1.0;  // near duplicates differ in length by at most this
};

// The waveform of recording i, mono at a rate common to all (cleaning decodes candidates again
// rather than keeping every waveform in memory).
using WaveformLoader = std::function<std::vector<float>(std::size_t index)>;
// Lags searched when confirming a near duplicate, in samples of the loader's rate: encoders
// shift audio by up to a few tens of milliseconds. Loaders decode at kDuplicateCheckRate.
inline constexpr int kDuplicateCheckRate = 8000;
inline constexpr int kMaxDuplicateLag = kDuplicateCheckRate / 10;

struct CleaningVerdict {
  bool keep = true;
  std::optional<std::size_t> duplicate_of;  // index of the recording this one repeats
  double similarity = 0;  // waveform correlation with duplicate_of (1 for exact duplicates)
  std::string reason;     // empty when kept
};

// Exact duplicates by sample hash; near duplicates by fingerprint candidates confirmed on the
// waveforms `load` returns.
std::vector<CleaningVerdict> judge_recordings(const std::vector<RecordingProfile>& profiles,
                                              const CleaningOptions& options,
                                              const WaveformLoader& load);

// numpy.quantile's default (linear interpolation between order statistics).
double quantile(std::vector<double> values, double q);

}  // namespace chorus::data
