#pragma once
// The features of a whole recording, computed while it decodes: each segment of the file (see
// audio::plan_segments) streams from the decoder through the resampler into a MelStream, so the
// waveform is never held in memory and segments run in parallel. Equal to
// FeatureExtractor::compute(load_audio(...).samples) up to the resampler's float rounding at
// segment boundaries (tests/features/file_features_test.cpp).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "audio/audio_config.hpp"
#include "audio/audio_decoder.hpp"
#include "features/feature_extractor.hpp"

namespace chorus::features {

// Every setting that changes a file's mel power (rate, resampler, STFT, mel bands), as text:
// the key under which spectrograms can be shared (feature cache, ensemble members).
std::string mel_settings_text(const audio::AudioConfig& audio, const FeatureConfig& features);

struct FileFeatures {
  Spectrogram features;
  audio::AudioFileInfo source;
  std::int64_t samples = 0;  // length of the decoded signal at the extractor's rate
  int sample_rate = 0;
  double duration_seconds() const;
};

// The mel power spectrogram of a file (before the [features] scale and normalisation: what the
// feature cache stores, so windows cut from it get their own top_db floor and normalisation).
// `on_progress`, when given, is called (from worker threads, concurrently) with each block's
// number of decoded samples.
FileFeatures compute_file_mel(const std::filesystem::path& path,
                              const audio::AudioConfig& audio_config, const MelSpectrogram& mel,
                              int threads,
                              const std::function<void(std::int64_t samples)>& on_progress = {});

// compute_file_mel followed by the extractor's scale and normalisation over the whole file.
FileFeatures compute_file_features(
    const std::filesystem::path& path, const audio::AudioConfig& audio_config,
    const FeatureExtractor& extractor, int threads,
    const std::function<void(std::int64_t samples)>& on_progress = {});

}  // namespace chorus::features
