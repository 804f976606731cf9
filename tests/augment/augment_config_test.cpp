// [augment]: validation naming the key, the pipeline doing nothing when everything is off and
// what it is told when on, background recordings, band filter in the power domain, batch mixing.

#include "augment/augment_config.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "audio/audio_writer.hpp"
#include "augment/augmentation_pipeline.hpp"
#include "augment/background_noise.hpp"
#include "augment/batch_mixing.hpp"
#include "augment/spectrogram_augment.hpp"
#include "core/config_fields.hpp"
#include "support/signals.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

using augment::AugmentConfig;
using augment::Rng;

TEST(AugmentConfig, DefaultsAreOffAndBadValuesNameTheKey) {
  const AugmentConfig defaults;
  defaults.validate();
  EXPECT_FALSE(augment::has_waveform_augmentations(defaults));
  AugmentConfig c;
  c.pink_noise_p = 1.5;
  EXPECT_EQ(testing::error_message([&] { c.validate(); }),
            "augment.pink_noise_p = 1.5: expected 0..1");
  c = {};
  c.gain_min_db = 3;
  c.gain_max_db = -3;
  EXPECT_EQ(testing::error_message([&] { c.validate(); }),
            "augment.gain_min_db = 3 and augment.gain_max_db = -3: expected finite values with min "
            "≤ max");
  c = {};
  c.background_p = 0.5;
  EXPECT_EQ(
      testing::error_message([&] { c.validate(); }),
      "augment.background_p = 0.5: needs augment.background_dir (a folder of noise recordings)");
  c = {};
  c.mixup_alpha = 0;
  EXPECT_EQ(testing::error_message([&] { c.validate(); }), "augment.mixup_alpha = 0: expected > 0");
  c = {};
  c.time_stretch_p = 0.1;
  EXPECT_TRUE(augment::has_waveform_augmentations(c));
  // Every key is settable by name (TOML, --set).
  core::ConfigFields fields("augment");
  c.register_fields(fields);
  fields.set("mixup_labels", "blend", "--set");
  EXPECT_EQ(c.mixup_labels, augment::MixupLabels::blend);
  EXPECT_THROW(fields.set("xy_masking_fill", "purple", "--set"), ConfigError);
}

TEST(AugmentationPipeline, OffChangesNothingAndStretchGivesTheLength) {
  Rng rng(1);
  const AugmentConfig off;
  const std::vector<float> tone = testing::sine(32000, 1.0, 800, 0.5);
  EXPECT_EQ(augment::draw_stretch_rate(off, rng), 1.0);
  EXPECT_EQ(augment::apply_waveform_augmentations(tone, tone.size(), 1.0, 32000, off, nullptr, rng),
            tone);
  AugmentConfig on;
  on.time_stretch_p = 1;
  on.time_stretch_min_rate = on.time_stretch_max_rate = 1.25;
  const double rate = augment::draw_stretch_rate(on, rng);
  EXPECT_EQ(rate, 1.25);
  const std::vector<float> crop = testing::sine(32000, 1.25, 800, 0.5);  // length · rate samples
  EXPECT_EQ(
      augment::apply_waveform_augmentations(crop, 32000, rate, 32000, on, nullptr, rng).size(),
      32000u);
  // Gain of exactly +6.02 dB doubles every sample.
  AugmentConfig gain;
  gain.gain_p = 1;
  gain.gain_min_db = gain.gain_max_db = 20 * std::log10(2.0);
  const std::vector<float> doubled =
      augment::apply_waveform_augmentations(tone, tone.size(), 1.0, 32000, gain, nullptr, rng);
  for (std::size_t i = 0; i < tone.size(); i += 997) EXPECT_NEAR(doubled[i], 2 * tone[i], 1e-5);
}

TEST(BackgroundNoise, LoadsTheFolderAndMixesAtTheSnr) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "rain");
  audio::write_audio(dir / "rain" / "a.wav", testing::white_noise(32000, 0.5, 0.1, 3), 32000);
  audio::write_audio(dir / "silent.wav", std::vector<float>(1600, 0.0f), 32000);
  testing::write_text(dir / "notes.txt", "not audio");
  const augment::BackgroundNoise noise(dir.path(), audio::AudioConfig{});
  ASSERT_EQ(noise.size(), 1u);  // the silent file adds nothing, the text file is not audio
  EXPECT_EQ(noise[0].size(), 16000u);
  AugmentConfig c;
  c.background_dir = dir.path().string();
  c.background_p = 1;
  c.background_min_snr_db = c.background_max_snr_db = 6;
  Rng rng(2);
  const std::vector<float> tone = testing::sine(32000, 1.0, 800, 0.5);
  const std::vector<float> mixed =
      augment::apply_waveform_augmentations(tone, tone.size(), 1.0, 32000, c, &noise, rng);
  std::vector<float> added(tone.size());
  for (std::size_t i = 0; i < tone.size(); ++i) added[i] = mixed[i] - tone[i];
  EXPECT_NEAR(10 * std::log10(augment::signal_power(tone) / augment::signal_power(added)), 6.0,
              0.01);
  EXPECT_THROW(augment::BackgroundNoise(dir / "missing", audio::AudioConfig{}), IoError);
}

TEST(BandFilter, PowerDomainEqualsTheDecibelOneAndBandsComeFromCentres) {
  const std::vector<double> centres = {100, 200, 400, 800, 1600};
  EXPECT_EQ(augment::mel_bands_of(centres, 150, 900), (std::pair{1, 4}));
  EXPECT_EQ(augment::mel_bands_of(centres, 390, 410), (std::pair{2, 3}));
  EXPECT_EQ(augment::mel_bands_of(centres, 610, 620), (std::pair{3, 4}));  // nearest to 615 Hz: 800
  EXPECT_EQ(augment::mel_bands_of(centres, 5000, 6000), (std::pair{4, 5}));
  features::Spectrogram power(5, 3);
  for (float& v : power.values) v = 2.0f;
  augment::band_filter_power(power, 1, 4, 20.0f);
  EXPECT_FLOAT_EQ(power.at(0, 0), 0.02f);
  EXPECT_FLOAT_EQ(power.at(2, 1), 2.0f);
  EXPECT_FLOAT_EQ(power.at(4, 2), 0.02f);
}

std::vector<features::Spectrogram> constant_inputs(int n) {
  std::vector<features::Spectrogram> inputs;
  for (int i = 0; i < n; ++i) {
    features::Spectrogram s(2, 10);
    for (float& v : s.values) v = static_cast<float>(i + 1);
    inputs.push_back(std::move(s));
  }
  return inputs;
}

std::vector<data::Target> one_hot_targets(int n) {
  std::vector<data::Target> targets;
  for (int i = 0; i < n; ++i) {
    data::Target t{std::vector<float>(static_cast<std::size_t>(n), 0.0f),
                   std::vector<float>(static_cast<std::size_t>(n), 1.0f), 1.0f};
    t.values[static_cast<std::size_t>(i)] = 1.0f;
    targets.push_back(std::move(t));
  }
  return targets;
}

TEST(BatchMixing, MixupWithMaxLabelsAddsExactlyThePartnersClass) {
  AugmentConfig c;
  c.mixup_p = 1;
  Rng rng(3);
  auto inputs = constant_inputs(4);
  auto targets = one_hot_targets(4);
  augment::mix_batch(inputs, targets, c, rng);
  for (int i = 0; i < 4; ++i) {
    const auto& t = targets[static_cast<std::size_t>(i)];
    EXPECT_EQ(t.values[static_cast<std::size_t>(i)], 1.0f);
    EXPECT_EQ(std::accumulate(t.values.begin(), t.values.end(), 0.0f),
              2.0f);  // its own + one partner
    // The input is λ·own + (1 − λ)·partner's *unmixed* value: between own and the partner's.
    std::size_t partner = 0;
    for (std::size_t j = 0; j < 4; ++j)
      if (j != static_cast<std::size_t>(i) && t.values[j] == 1.0f) partner = j;
    const float v = inputs[static_cast<std::size_t>(i)].values[0];
    EXPECT_GE(v,
              std::min<float>(static_cast<float>(i + 1), static_cast<float>(partner + 1)) - 1e-5f);
    EXPECT_LE(v,
              std::max<float>(static_cast<float>(i + 1), static_cast<float>(partner + 1)) + 1e-5f);
  }
}

TEST(BatchMixing, CutmixBlendsLabelsToOneAndOffOrSingleChangesNothing) {
  AugmentConfig c;
  c.horizontal_cutmix_p = 1;
  Rng rng(4);
  auto inputs = constant_inputs(3);
  auto targets = one_hot_targets(3);
  augment::mix_batch(inputs, targets, c, rng);
  for (int i = 0; i < 3; ++i) {
    const auto& t = targets[static_cast<std::size_t>(i)];
    EXPECT_NEAR(std::accumulate(t.values.begin(), t.values.end(), 0.0f), 1.0f, 1e-6);
    // The first frame is always its own, the last always the partner's.
    EXPECT_EQ(inputs[static_cast<std::size_t>(i)].at(0, 0), static_cast<float>(i + 1));
    EXPECT_NE(inputs[static_cast<std::size_t>(i)].at(0, 9), static_cast<float>(i + 1));
  }
  auto single = constant_inputs(1);
  auto single_target = one_hot_targets(1);
  augment::mix_batch(single, single_target, c, rng);
  EXPECT_EQ(single[0].values[9], 1.0f);
}

}  // namespace
}  // namespace chorus
