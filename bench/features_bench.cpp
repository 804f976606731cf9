// Times decode + resample + log-mel (the default [audio] and [features] settings) of each file,
// as `chorus mel` computes them, and prints one line per file and a total. The Python peer
// bench/peers/torchaudio_features.py prints the same lines for the torchaudio pipeline.
//
//   chorus_bench_features [--threads N] [--repeat R] FILE…
//
// Each file is processed R times; the fastest run counts (the machine is shared and noisy).

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "audio/waveform.hpp"
#include "features/feature_extractor.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 1, repeat = 3;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--threads" && i + 1 < argc) threads = std::atoi(argv[++i]);
    else if (arg == "--repeat" && i + 1 < argc) repeat = std::atoi(argv[++i]);
    else files.push_back(arg);
  }
  if (files.empty()) {
    fmt::print(stderr, "usage: chorus_bench_features [--threads N] [--repeat R] FILE...\n");
    return 2;
  }
  const chorus::audio::AudioConfig audio_config;
  const chorus::features::FeatureConfig feature_config;
  const chorus::features::FeatureExtractor extractor(feature_config, audio_config.sample_rate);
  double total_decode = 0, total_features = 0, total_audio = 0;
  for (const std::string& file : files) {
    double best_decode = 1e30, best_features = 1e30, audio_seconds = 0;
    for (int r = 0; r < repeat; ++r) {
      const auto start = Clock::now();
      const chorus::audio::Waveform wave = chorus::audio::load_audio(file, audio_config, threads);
      const double decode = seconds_since(start);
      const auto mel_start = Clock::now();
      const chorus::features::Spectrogram spec = extractor.compute(wave.samples, threads);
      const double features = seconds_since(mel_start);
      if (decode + features < best_decode + best_features) {
        best_decode = decode;
        best_features = features;
      }
      audio_seconds = wave.duration_seconds();
      if (spec.n_frames == 0) return 1;
    }
    if (files.size() <= 8)
      fmt::print("file {} audio_s {:.1f} decode_resample_s {:.4f} logmel_s {:.4f} total_s {:.4f}\n",
                 file, audio_seconds, best_decode, best_features, best_decode + best_features);
    total_decode += best_decode;
    total_features += best_features;
    total_audio += audio_seconds;
  }
  fmt::print("total files {} audio_s {:.1f} decode_resample_s {:.4f} logmel_s {:.4f} total_s {:.4f} "
             "realtime_x {:.0f}\n",
             files.size(), total_audio, total_decode, total_features, total_decode + total_features,
             total_audio / (total_decode + total_features));
  return 0;
}
