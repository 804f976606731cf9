// Config sections: typed parsing, TOML files and --set overrides, each mistake named.

#include <gtest/gtest.h>

#include <array>
#include <fstream>

#include "audio/audio_config.hpp"
#include "core/config_file.hpp"
#include "core/error.hpp"
#include "features/feature_config.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

struct Fixture {
  audio::AudioConfig audio;
  features::FeatureConfig features;
  core::ConfigFields audio_fields{"audio"};
  core::ConfigFields feature_fields{"features"};
  Fixture() {
    audio.register_fields(audio_fields);
    features.register_fields(feature_fields);
  }
  std::array<core::ConfigFields*, 2> sections() { return {&audio_fields, &feature_fields}; }
};

std::string config_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Config, DefaultsAreTheBirdClef2024Settings) {
  Fixture f;
  EXPECT_EQ(f.audio.sample_rate, 32000);
  EXPECT_EQ(f.features.n_fft, 1024);
  EXPECT_EQ(f.features.hop_length, 500);
  EXPECT_EQ(f.features.n_mels, 128);
  EXPECT_EQ(f.features.f_min, 40.0);
  EXPECT_EQ(f.features.f_max, 15000.0);
  EXPECT_EQ(f.features.top_db, 80.0);
  EXPECT_NO_THROW(f.features.validate(f.audio.sample_rate));
}

TEST(Config, FileAndOverridesApplyInOrder) {
  testing::TempDir dir;
  std::ofstream(dir / "c.toml") << "[audio]\nsample_rate = 48000\n[features]\nn_mels = 64\n"
                                   "f_max = 16000.0\nmel_scale = \"slaney\"\ncenter = false\n"
                                   "[train]\nepochs = 3\n";
  Fixture f;
  core::load_config_file((dir / "c.toml").string(), f.sections());
  core::apply_overrides({"features.n_mels=96", "audio.resample_quality=vhq"}, f.sections());
  EXPECT_EQ(f.audio.sample_rate, 48000);
  EXPECT_EQ(f.features.n_mels, 96);
  EXPECT_EQ(f.features.f_max, 16000.0);
  EXPECT_EQ(f.features.mel_scale, features::MelScale::slaney);
  EXPECT_FALSE(f.features.center);
  EXPECT_EQ(f.audio.resample_quality, audio::ResampleQuality::vhq);
}

TEST(Config, PrintedConfigReadsBackTheSame) {
  testing::TempDir dir;
  Fixture f;
  core::apply_overrides({"features.f_min=50", "features.normalize=minmax"}, f.sections());
  std::ofstream(dir / "round.toml") << core::config_to_toml(f.sections());
  Fixture g;
  core::load_config_file((dir / "round.toml").string(), g.sections());
  EXPECT_EQ(core::config_to_toml(g.sections()), core::config_to_toml(f.sections()));
  EXPECT_EQ(g.features.f_min, 50.0);
}

TEST(Config, MistakesAreNamed) {
  testing::TempDir dir;
  Fixture f;
  EXPECT_EQ(config_error([&] { core::apply_overrides({"features.nfft=512"}, f.sections()); }),
            "--set: unknown key features.nfft (known keys: n_fft, win_length, hop_length, n_mels, "
            "f_min, f_max, power, mel_scale, mel_norm, center, pad_mode, scale, top_db, amin, "
            "normalize, pcen_gain, pcen_bias, pcen_power, pcen_time_constant, pcen_eps)");
  EXPECT_EQ(config_error([&] { core::apply_overrides({"features.n_fft=big"}, f.sections()); }),
            "--set: features.n_fft = 'big' is not an integer");
  EXPECT_EQ(config_error([&] { core::apply_overrides({"features.mel_scale=bark"}, f.sections()); }),
            "--set: features.mel_scale = 'bark' is not one of: htk, slaney");
  EXPECT_EQ(config_error([&] { core::apply_overrides({"n_fft=512"}, f.sections()); }),
            "--set 'n_fft=512': expected section.key=value");
  std::ofstream(dir / "typo.toml") << "[features]\n\nhop = 320\n";
  EXPECT_EQ(config_error([&] {
              core::load_config_file((dir / "typo.toml").string(), f.sections());
            }).substr(0, (dir / "typo.toml").string().size() + 24),
            (dir / "typo.toml").string() + ":3: unknown key features");
  std::ofstream(dir / "section.toml") << "[featurs]\nn_fft = 512\n";
  EXPECT_EQ(
      config_error([&] { core::load_config_file((dir / "section.toml").string(), f.sections()); }),
      (dir / "section.toml").string() + ":1: unknown section [featurs]");
  std::ofstream(dir / "broken.toml") << "[features]\nn_fft = = 3\n";
  EXPECT_NE(config_error([&] {
              core::load_config_file((dir / "broken.toml").string(), f.sections());
            }).find(":2:"),
            std::string::npos);
}

TEST(Config, ValidateRejectsImpossibleValues) {
  features::FeatureConfig c;
  c.f_max = 20000;
  EXPECT_EQ(config_error([&] { c.validate(32000); }),
            "features.f_max = 20000: expected f_min (40) < f_max ≤ sample_rate/2 (16000)");
  c = {};
  c.hop_length = 0;
  EXPECT_THROW(c.validate(32000), ConfigError);
  audio::AudioConfig a;
  a.sample_rate = 10;
  EXPECT_EQ(config_error([&] { a.validate(); }),
            "audio.sample_rate = 10: expected 1000..384000 Hz");
}

}  // namespace
}  // namespace chorus
