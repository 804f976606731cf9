// Times decode + resample + log-mel (the default [audio] and [features] settings) of each file
// and prints one line per file and a total. The Python peer bench/peers/torchaudio_features.py
// prints the same lines for the torchaudio pipeline.
//
//   chorus_bench_features [--threads N] [--repeat R] [--staged] FILE…
//
// Default: the streaming path `chorus mel` uses (compute_file_features: decode, resample and
// mel frames in one pass per segment). --staged decodes the whole waveform first and then
// computes the features, which shows where the time goes. Each file is processed R times; the
// fastest run counts (the machine is shared and noisy).

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "audio/waveform.hpp"
#include "features/file_features.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Timing {
  double decode = 0;    // decode + resample (staged only)
  double features = 0;  // log-mel (staged only)
  double total = 1e30;
  double audio_seconds = 0;
};

Timing time_once(const std::string& file, const chorus::audio::AudioConfig& audio_config,
                 const chorus::features::FeatureExtractor& extractor, int threads, bool staged) {
  Timing t;
  const auto start = Clock::now();
  if (staged) {
    const chorus::audio::Waveform wave = chorus::audio::load_audio(file, audio_config, threads);
    t.decode = seconds_since(start);
    const auto mel_start = Clock::now();
    const chorus::features::Spectrogram spec = extractor.compute(wave.samples, threads);
    t.features = seconds_since(mel_start);
    t.audio_seconds = wave.duration_seconds();
  } else {
    const chorus::features::FileFeatures f =
        chorus::features::compute_file_features(file, audio_config, extractor, threads);
    t.audio_seconds = f.duration_seconds();
  }
  t.total = seconds_since(start);
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 1, repeat = 3;
  bool staged = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--threads" && i + 1 < argc)
      threads = std::atoi(argv[++i]);
    else if (arg == "--repeat" && i + 1 < argc)
      repeat = std::atoi(argv[++i]);
    else if (arg == "--staged")
      staged = true;
    else
      files.push_back(arg);
  }
  if (files.empty()) {
    fmt::print(stderr,
               "usage: chorus_bench_features [--threads N] [--repeat R] [--staged] FILE...\n");
    return 2;
  }
  const chorus::audio::AudioConfig audio_config;
  const chorus::features::FeatureExtractor extractor(chorus::features::FeatureConfig{},
                                                     audio_config.sample_rate);
  Timing sum{0, 0, 0, 0};
  for (const std::string& file : files) {
    Timing best;
    for (int r = 0; r < repeat; ++r) {
      const Timing t = time_once(file, audio_config, extractor, threads, staged);
      if (t.total < best.total) best = t;
    }
    if (files.size() <= 8)
      fmt::print("file {} audio_s {:.1f} decode_resample_s {:.4f} logmel_s {:.4f} total_s {:.4f}\n",
                 file, best.audio_seconds, best.decode, best.features, best.total);
    sum.decode += best.decode;
    sum.features += best.features;
    sum.total += best.total;
    sum.audio_seconds += best.audio_seconds;
  }
  fmt::print(
      "total files {} audio_s {:.1f} decode_resample_s {:.4f} logmel_s {:.4f} total_s {:.4f} "
      "realtime_x {:.0f}\n",
      files.size(), sum.audio_seconds, sum.decode, sum.features, sum.total,
      sum.audio_seconds / sum.total);
  return 0;
}
