// Cleaning finds a planted exact duplicate, a planted near duplicate (the same audio re-encoded
// at another rate) and a planted loud noisy file, and keeps the rest.

#include "data/cleaning.hpp"

#include <gtest/gtest.h>

#include <random>

#include "audio/audio_writer.hpp"
#include "audio/noise.hpp"
#include "audio/resampler.hpp"
#include "audio/waveform.hpp"
#include "data/waveform_match.hpp"
#include "support/signals.hpp"
#include "support/test_support.hpp"
#include "synth/call_synth.hpp"

namespace chorus {
namespace {

std::vector<float> calls(unsigned seed, double f0) {
  std::vector<float> clip(32000 * 6, 0.0f);
  std::mt19937 rng(seed);
  audio::add_pink_noise(clip, 0.005, rng);
  for (double t = 0.5; t < 5.5; t += 1.3)
    synth::add_call(clip, 32000, t, {synth::CallShape::fm_sweep, f0, f0 * 1.8, 0.4, 0, 0}, 0.2);
  return clip;
}

TEST(Cleaning, FindsDuplicatesAndTheLoudNoisyFile) {
  testing::TempDir dir;
  std::vector<std::filesystem::path> files;
  const auto add = [&](const std::string& name, const std::vector<float>& samples, int rate) {
    audio::write_audio(dir / name, samples, rate);
    files.push_back(dir / name);
  };
  add("a.flac", calls(1, 2000), 32000);
  add("b.flac", calls(2, 3500), 32000);
  add("c.flac", calls(3, 5000), 32000);
  add("d.flac", calls(4, 1200), 32000);
  add("a_copy.flac", calls(1, 2000), 32000);  // exact
  add("b_44k.ogg", audio::resample(calls(2, 3500), 32000, 44100, audio::ResampleQuality::hq),
      44100);                                                         // near
  add("loud.flac", testing::white_noise(32000, 6.0, 0.5, 9), 32000);  // loud noise

  std::vector<data::RecordingProfile> profiles;
  for (const auto& f : files) profiles.push_back(data::profile_recording(f, audio::AudioConfig{}));
  audio::AudioConfig low_rate;
  low_rate.sample_rate = data::kDuplicateCheckRate;
  const auto load = [&](std::size_t i) {
    const auto wave = audio::load_audio(files[i], low_rate);
    return std::vector<float>(wave.samples.begin(), wave.samples.end());
  };
  const auto verdicts = data::judge_recordings(profiles, {.keep_quantile = 0.8}, load);

  EXPECT_TRUE(verdicts[0].keep && verdicts[1].keep && verdicts[2].keep && verdicts[3].keep);
  EXPECT_FALSE(verdicts[4].keep);
  EXPECT_EQ(verdicts[4].duplicate_of, 0u);
  EXPECT_EQ(verdicts[4].reason, "exact duplicate");
  EXPECT_FALSE(verdicts[5].keep);
  EXPECT_EQ(verdicts[5].duplicate_of, 1u);
  EXPECT_NE(verdicts[5].reason.find("near duplicate"), std::string::npos);
  EXPECT_FALSE(verdicts[6].keep);
  EXPECT_FALSE(verdicts[6].duplicate_of.has_value());
  EXPECT_NE(verdicts[6].reason.find("above the 0.8 quantile"), std::string::npos)
      << verdicts[6].reason;
  // Two takes of the same steady noise share a spectrum but not a waveform.
  EXPECT_LT(
      data::peak_cross_correlation(testing::white_noise(8000, 3.0, 0.1, 1),
                                   testing::white_noise(8000, 3.0, 0.1, 2), data::kMaxDuplicateLag),
      0.1);
  EXPECT_NEAR(data::peak_cross_correlation(load(1), load(1), 0), 1.0, 1e-9);
}

TEST(Cleaning, QuantileIsNumpysLinearInterpolation) {
  EXPECT_DOUBLE_EQ(data::quantile({1, 2, 3, 4, 5}, 0.8), 4.2);  // numpy.quantile([1..5], 0.8)
  EXPECT_DOUBLE_EQ(data::quantile({3, 1, 2}, 0.5), 2.0);
  EXPECT_DOUBLE_EQ(data::quantile({7}, 0.3), 7.0);
}

}  // namespace
}  // namespace chorus
