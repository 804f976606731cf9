// Streaming a file's features (decode → resample → MelStream, in parallel segments) equals
// decoding the whole waveform and computing its features, for every format, rate and length.

#include "features/file_features.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "audio/audio_writer.hpp"
#include "audio/waveform.hpp"
#include "support/signals.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

// Largest |a − b| over the bins either side has above the floor (max − 79 dB).
float max_difference_above_floor(const features::Spectrogram& a, const features::Spectrogram& b) {
  const float floor = *std::max_element(a.values.begin(), a.values.end()) - 79.0f;
  float worst = 0;
  for (std::size_t i = 0; i < a.values.size(); ++i)
    if (a.values[i] > floor || b.values[i] > floor)
      worst = std::max(worst, std::fabs(a.values[i] - b.values[i]));
  return worst;
}

void expect_streaming_equals_whole(const std::filesystem::path& file,
                                   const features::FeatureConfig& feature_config, int threads,
                                   float tolerance_db) {
  const audio::AudioConfig audio_config;
  const features::FeatureExtractor extractor(feature_config, audio_config.sample_rate);
  const audio::Waveform wave = audio::load_audio(file, audio_config, 1);
  const features::Spectrogram whole = extractor.compute(wave.samples, 1);
  const features::FileFeatures streamed =
      features::compute_file_features(file, audio_config, extractor, threads);
  ASSERT_EQ(streamed.features.n_frames, whole.n_frames) << file;
  ASSERT_EQ(streamed.features.n_bins, whole.n_bins) << file;
  EXPECT_EQ(streamed.samples, static_cast<std::int64_t>(wave.samples.size()));
  EXPECT_LE(max_difference_above_floor(whole, streamed.features), tolerance_db)
      << file << " threads " << threads;
}

TEST(FileFeatures, ShortFilesOfAnyLengthAreExact) {
  testing::TempDir dir;
  // 1 sample, shorter than half a window, one window, a hop multiple, and an odd length.
  for (int length : {1, 300, 1024, 32000, 32000 * 5 + 77}) {
    const auto file = dir / ("n" + std::to_string(length) + ".wav");
    audio::write_audio(file, testing::white_noise(32000, length / 32000.0 + 1e-9, 0.1, length),
                       32000, {.float_wav = true});
    for (int threads : {1, 2}) expect_streaming_equals_whole(file, {}, threads, 0.0f);
  }
}

TEST(FileFeatures, EveryFormatAndRateSegmentedInParallel) {
  testing::TempDir dir;
  struct Case {
    const char* name;
    int rate;
  };
  for (const Case c : {Case{"a.ogg", 32000}, Case{"b.ogg", 48000}, Case{"c.flac", 44100},
                       Case{"d.wav", 22050}, Case{"e.mp3", 32000}}) {
    const auto file = dir / c.name;
    audio::write_audio(file, testing::sine_sweep(c.rate, 100.0, 80, 10000, 0.3), c.rate);
    expect_streaming_equals_whole(file, {}, 1, 0.0f);
    // Segments enter the resampler at different points: its float rounding differs by ~1e-6
    // in samples, up to a few thousandths of a dB in the faintest bins kept.
    expect_streaming_equals_whole(file, {}, 3, 0.01f);
  }
}

TEST(FileFeatures, UncentredAndZeroPaddedFramesToo) {
  testing::TempDir dir;
  audio::write_audio(dir / "s.flac", testing::white_noise(32000, 70.0, 0.2, 5), 32000);
  features::FeatureConfig uncentred;
  uncentred.center = false;
  expect_streaming_equals_whole(dir / "s.flac", uncentred, 3, 0.0f);
  features::FeatureConfig zero_padded;
  zero_padded.pad_mode = features::PadMode::constant;
  zero_padded.n_fft = 2048;
  expect_streaming_equals_whole(dir / "s.flac", zero_padded, 3, 0.0f);
}

}  // namespace
}  // namespace chorus
