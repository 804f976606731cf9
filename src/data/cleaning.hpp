#pragma once
// Which recordings of a training set to keep: exact and near duplicates go (the first occurrence
// stays), then of the rest only those with T = std + var + rms + pwr at or below a quantile
// (BirdCLEF 2024 1st place kept the lowest 80 %: the loudest, noisiest clips were mostly
// mislabelled or dominated by noise).

#include <optional>
#include <string>
#include <vector>

#include "data/recording_profile.hpp"

namespace chorus::data {

struct CleaningOptions {
  double keep_quantile = 0.8;            // keep T ≤ this quantile of T (1 = keep all)
  double near_duplicate_similarity = 0.97;  // fingerprint similarity that makes a near duplicate
  double duration_tolerance_seconds = 1.0;  // near duplicates differ in length by at most this
};

struct CleaningVerdict {
  bool keep = true;
  std::optional<std::size_t> duplicate_of;  // index of the recording this one repeats
  double similarity = 0;                    // with duplicate_of (1 for exact duplicates)
  std::string reason;                       // empty when kept
};

std::vector<CleaningVerdict> judge_recordings(const std::vector<RecordingProfile>& profiles,
                                              const CleaningOptions& options);

// numpy.quantile's default (linear interpolation between order statistics).
double quantile(std::vector<double> values, double q);

}  // namespace chorus::data
