// Properties every correct log-mel has, independent of any reference implementation.

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "features/feature_extractor.hpp"
#include "features/mel_filterbank.hpp"
#include "features/stft.hpp"
#include "support/signals.hpp"

namespace chorus {
namespace {

constexpr int kRate = 32000;

int loudest_band(const features::Spectrogram& s, int frame) {
  int best = 0;
  for (int b = 1; b < s.n_bins; ++b)
    if (s.at(b, frame) > s.at(best, frame)) best = b;
  return best;
}

TEST(LogMel, SinePeaksInTheBandWhoseCentreIsNearest) {
  const features::FeatureConfig config;
  const features::FeatureExtractor extractor(config, kRate);
  const auto& centres = extractor.mel().filterbank().centres_hz();
  for (double hz : {440.0, 1000.0, 3000.0, 7500.0, 12000.0}) {
    const features::Spectrogram s = extractor.compute(testing::sine(kRate, 1.0, hz), 1);
    const int band = loudest_band(s, s.n_frames / 2);
    // The tone lies between the loudest band's neighbours' centres.
    EXPECT_LT(centres[std::max(band - 1, 0)], hz) << hz;
    EXPECT_GT(centres[std::min(band + 1, s.n_bins - 1)], hz) << hz;
  }
}

TEST(LogMel, SilenceSitsAtTheFloorAndFrameCountFollowsTorch) {
  const features::FeatureExtractor extractor(features::FeatureConfig{}, kRate);
  const features::Spectrogram s = extractor.compute(std::vector<float>(kRate * 5, 0.0f), 1);
  EXPECT_EQ(s.n_bins, 128);
  EXPECT_EQ(s.n_frames, 1 + kRate * 5 / 500);            // centred frames: 1 + len / hop = 321
  for (float v : s.values) ASSERT_FLOAT_EQ(v, -100.0f);  // 10·log10(amin = 1e-10)
}

TEST(LogMel, TopDbFloorsEverythingEightyBelowTheMaximum) {
  const features::FeatureExtractor extractor(features::FeatureConfig{}, kRate);
  const features::Spectrogram s = extractor.compute(testing::sine(kRate, 1.0, 2000), 1);
  const float max = *std::max_element(s.values.begin(), s.values.end());
  const float min = *std::min_element(s.values.begin(), s.values.end());
  EXPECT_FLOAT_EQ(min, max - 80.0f);
}

TEST(LogMel, ThreadsDoNotChangeTheResult) {
  const std::vector<float> noise = testing::white_noise(kRate, 7.3, 0.2, 9);
  const features::FeatureExtractor extractor(features::FeatureConfig{}, kRate);
  EXPECT_EQ(extractor.compute(noise, 1).values, extractor.compute(noise, 2).values);
}

TEST(LogMel, BatchWindowsEqualSingleComputations) {
  const std::vector<float> noise = testing::white_noise(kRate, 20.0, 0.2, 4);
  features::FeatureConfig config;
  config.normalize = features::Normalization::minmax;
  const features::FeatureExtractor extractor(config, kRate);
  std::vector<std::span<const float>> windows;
  for (int i = 0; i < 4; ++i) windows.emplace_back(noise.data() + i * 5 * kRate, 5 * kRate);
  const auto batch = extractor.compute_batch(windows, 2);
  ASSERT_EQ(batch.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(batch[i].values, extractor.compute(windows[i], 1).values);
    const auto [lo, hi] = std::minmax_element(batch[i].values.begin(), batch[i].values.end());
    EXPECT_FLOAT_EQ(*lo, 0.0f);
    EXPECT_NEAR(*hi, 1.0f, 1e-6);
  }
}

TEST(MelFilterbank, HtkAndSlaneyFormulasInvertAndSlaneyIsLinearBelow1k) {
  for (auto scale : {features::MelScale::htk, features::MelScale::slaney})
    for (double hz : {0.0, 40.0, 999.0, 1000.0, 4000.0, 15000.0})
      EXPECT_NEAR(features::mel_to_hz(features::hz_to_mel(hz, scale), scale), hz, 1e-9);
  EXPECT_NEAR(features::hz_to_mel(500, features::MelScale::slaney), 7.5, 1e-12);
  EXPECT_NEAR(features::hz_to_mel(1000, features::MelScale::htk), 999.9855, 1e-3);
}

TEST(MelFilterbank, SlaneyNormalisedFiltersHaveEqualArea) {
  // Area of triangle m = height · (right − left) / 2 = 1 with height 2 / (right − left).
  const features::MelFilterbank fb(1025, 40, 15000, 64, kRate, features::MelScale::slaney, true);
  const std::vector<float> dense = fb.dense();
  const double bin_hz = 16000.0 / 1024;
  for (int m = 8; m < 64; ++m) {  // the low bands are narrower than a bin
    double area = 0;
    for (int k = 0; k < 1025; ++k) area += dense[static_cast<std::size_t>(k) * 64 + m] * bin_hz;
    EXPECT_NEAR(area, 1.0, 0.02) << "band " << m;
  }
}

TEST(Stft, ReflectIndexFollowsNumpyForLongPads) {
  // numpy.pad([a, b, c], 4, "reflect") = [b, c, b, | a, b, c, | b, a, b, c] around index 0..2.
  EXPECT_EQ(features::reflect_index(-1, 3), 1);
  EXPECT_EQ(features::reflect_index(-2, 3), 2);
  EXPECT_EQ(features::reflect_index(-3, 3), 1);
  EXPECT_EQ(features::reflect_index(-4, 3), 0);
  EXPECT_EQ(features::reflect_index(3, 3), 1);
  EXPECT_EQ(features::reflect_index(4, 3), 0);
  EXPECT_EQ(features::reflect_index(5, 3), 1);
  EXPECT_EQ(features::reflect_index(-7, 1), 0);
}

TEST(FeatureConfig, InvalidSettingsAreRejected) {
  features::FeatureConfig c;
  c.n_mels = 600;
  EXPECT_THROW(features::FeatureExtractor(c, kRate), ConfigError);
  c = {};
  c.power = 3;
  EXPECT_THROW(features::FeatureExtractor(c, kRate), ConfigError);
}

}  // namespace
}  // namespace chorus
