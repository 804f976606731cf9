// The feature cache: reused when nothing changed, rebuilt when the file or a setting that
// changes the mel power does, equal to computing the features directly.

#include "features/feature_cache.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "audio/audio_writer.hpp"
#include "features/feature_store.hpp"
#include "features/file_features.hpp"
#include "support/signals.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

TEST(FeatureCache, SecondRunReusesAndChangesRebuild) {
  testing::TempDir dir;
  const auto clip = dir / "clip.ogg";
  audio::write_audio(clip, testing::sine_sweep(44100, 6.0, 300, 9000, 0.3), 44100);
  const audio::AudioConfig audio_config;
  features::FeatureConfig features_config;

  features::FeatureCache cache(dir / "cache", audio_config, features_config);
  EXPECT_TRUE(cache.ensure(clip, 1).computed);   // computed
  EXPECT_FALSE(cache.ensure(clip, 1).computed);  // reused: no decoding
  {
    const core::MappedNpy entry = cache.map(clip);
    const features::FileFeatures direct = features::compute_file_mel(
        clip, audio_config, features::MelSpectrogram(features_config, 32000), 1);
    ASSERT_EQ(entry.shape(), (std::vector<std::int64_t>{128, direct.features.n_frames}));
    EXPECT_TRUE(
        std::equal(entry.data().begin(), entry.data().end(), direct.features.values.begin()));
  }

  // The dB floor and normalisation are applied after cropping: same entries.
  features_config.top_db = 60;
  features_config.normalize = features::Normalization::minmax;
  EXPECT_FALSE(features::FeatureCache(dir / "cache", audio_config, features_config)
                   .ensure(clip, 1)
                   .computed);
  // A different hop changes the mel power: a new entry.
  features_config.hop_length = 320;
  features::FeatureCache other(dir / "cache", audio_config, features_config);
  EXPECT_NE(other.directory(), cache.directory());
  EXPECT_TRUE(other.ensure(clip, 1).computed);

  // A changed file is a different entry; the old one is never used for it.
  audio::write_audio(clip, testing::sine_sweep(44100, 6.0, 500, 7000, 0.3), 44100);
  EXPECT_TRUE(cache.ensure(clip, 1).computed);
  EXPECT_FALSE(cache.ensure(clip, 1).computed);
}

TEST(FeatureCache, DamagedEntryIsRebuilt) {
  testing::TempDir dir;
  const auto clip = dir / "clip.wav";
  audio::write_audio(clip, testing::white_noise(32000, 2.0, 0.1, 1), 32000);
  features::FeatureCache cache(dir / "cache", audio::AudioConfig{}, features::FeatureConfig{});
  ASSERT_TRUE(cache.ensure(clip, 1).computed);
  const auto entry = cache.entry_for(clip);
  std::filesystem::resize_file(entry, std::filesystem::file_size(entry) / 2);
  EXPECT_TRUE(cache.ensure(clip, 1).computed);
  EXPECT_EQ(cache.map(clip).shape()[1], 1 + 2 * 32000 / 500);
}

}  // namespace
}  // namespace chorus

namespace chorus {
namespace {

TEST(FeatureStore, MappedAndRamHoldTheSameSpectrograms) {
  testing::TempDir dir;
  std::vector<std::filesystem::path> files;
  for (int i = 0; i < 3; ++i) {
    files.push_back(dir / ("c" + std::to_string(i) + ".wav"));
    audio::write_audio(files.back(), testing::white_noise(32000, 1.0 + i, 0.1, i), 32000);
  }
  features::FeatureCache cache(dir / "cache", audio::AudioConfig{}, features::FeatureConfig{});
  for (const auto& f : files) cache.ensure(f, 1);
  const features::FeatureStore mapped(cache, files, features::FeatureStore::Residence::mapped);
  const features::FeatureStore ram(cache, files, features::FeatureStore::Residence::ram);
  EXPECT_EQ(mapped.resident_bytes(), 0u);
  std::size_t floats = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(ram[i].frames, 1 + (32000 * (1 + static_cast<std::int64_t>(i))) / 500);
    EXPECT_TRUE(std::equal(ram[i].values.begin(), ram[i].values.end(), mapped[i].values.begin(),
                           mapped[i].values.end()));
    floats += ram[i].values.size();
  }
  EXPECT_EQ(ram.resident_bytes(), floats * sizeof(float));
}

}  // namespace
}  // namespace chorus
