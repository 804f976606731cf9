#pragma once
// What data cleaning knows about one recording, from a single decode: its level statistics
// (BirdCLEF 2024 1st place ranked files by T = std + var + rms + pwr and dropped the loudest /
// noisiest fifth), an exact hash of the decoded samples (a re-encoded copy of the same audio has
// different bytes but the same samples only if lossless; see near duplicates), and a coarse
// spectral fingerprint for near duplicates (the same recording re-encoded, trimmed or at another
// rate).

#include <filesystem>
#include <string>
#include <vector>

#include "audio/audio_config.hpp"
#include "audio/signal_stats.hpp"

namespace chorus::data {

struct RecordingProfile {
  double duration_seconds = 0;
  audio::SignalStats stats;  // of the mono signal at the configured rate
  double t_score = 0;        // std + var + rms + pwr
  std::string samples_hash;  // XXH3-128 of the decoded float samples
  // Log-mel energy in kFingerprintBands bands every 0.1 s, row-major [blocks][bands], each
  // band's mean over time removed.
  std::vector<float> fingerprint;
};

inline constexpr int kFingerprintBands = 16;

RecordingProfile profile_recording(const std::filesystem::path& path,
                                   const audio::AudioConfig& config);

// Cosine similarity of two fingerprints over their common blocks, aligned at the start; in
// [-1, 1], 1 for identical audio. (Copies trimmed at the start are not aligned and not found.)
double fingerprint_similarity(const std::vector<float>& a, const std::vector<float>& b);

}  // namespace chorus::data
