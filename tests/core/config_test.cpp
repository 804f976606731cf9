// Config sections: typed parsing, TOML files and --set overrides, each mistake named.

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <filesystem>
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
  core::ConfigSections sections;
  Fixture() { sections.bind(audio).bind(features); }
  void set(std::vector<std::string> overrides) const { sections.load({"", std::move(overrides)}); }
  void load(const std::filesystem::path& file) const { sections.load({file.string(), {}}); }
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
  f.sections.load(
      {(dir / "c.toml").string(), {"features.n_mels=96", "audio.resample_quality=vhq"}});
  EXPECT_EQ(f.audio.sample_rate, 48000);
  EXPECT_EQ(f.features.n_mels, 96);
  EXPECT_EQ(f.features.f_max, 16000.0);
  EXPECT_EQ(f.features.mel_scale, features::MelScale::slaney);
  EXPECT_FALSE(f.features.center);
  EXPECT_EQ(f.audio.resample_quality, audio::ResampleQuality::vhq);
}

// A recipe's --set keys for sections a command does not read are left out for that command
// (they would be refused there); the file stays.
TEST(Config, SourceRestrictedToSections) {
  const core::ConfigSource recipe{
      "r.toml",
      {"train.seed=3", "infer.chunk_seconds=5", "trainer.x=1", "data.teacher=t.csv", "infer=2"}};
  const std::array<std::string_view, 2> sections{"infer", "data"};
  const core::ConfigSource kept = recipe.restricted_to(sections);
  EXPECT_EQ(kept.file, "r.toml");
  EXPECT_EQ(kept.overrides,
            (std::vector<std::string>{"infer.chunk_seconds=5", "data.teacher=t.csv"}));
}

TEST(Config, PrintedConfigReadsBackTheSame) {
  testing::TempDir dir;
  Fixture f;
  f.set({"features.f_min=50", "features.normalize=minmax"});
  std::ofstream(dir / "round.toml") << f.sections.to_toml();
  Fixture g;
  g.load(dir / "round.toml");
  EXPECT_EQ(g.sections.to_toml(), f.sections.to_toml());
  EXPECT_EQ(g.features.f_min, 50.0);
}

TEST(Config, MistakesAreNamed) {
  testing::TempDir dir;
  Fixture f;
  EXPECT_EQ(config_error([&] { f.set({"features.nfft=512"}); }),
            "--set: unknown key features.nfft (known keys: n_fft, win_length, hop_length, n_mels, "
            "f_min, f_max, power, mel_scale, mel_norm, center, pad_mode, scale, top_db, amin, "
            "normalize, pcen_gain, pcen_bias, pcen_power, pcen_time_constant, pcen_eps)");
  EXPECT_EQ(config_error([&] { f.set({"features.n_fft=big"}); }),
            "--set: features.n_fft = 'big' is not an integer");
  EXPECT_EQ(config_error([&] { f.set({"features.mel_scale=bark"}); }),
            "--set: features.mel_scale = 'bark' is not one of: htk, slaney");
  EXPECT_EQ(config_error([&] { f.set({"n_fft=512"}); }),
            "--set 'n_fft=512': expected section.key=value");
  std::ofstream(dir / "typo.toml") << "[features]\n\nhop = 320\n";
  EXPECT_EQ(config_error([&] {
              f.load(dir / "typo.toml");
            }).substr(0, (dir / "typo.toml").string().size() + 24),
            (dir / "typo.toml").string() + ":3: unknown key features");
  std::ofstream(dir / "section.toml") << "[featurs]\nn_fft = 512\n";
  EXPECT_EQ(config_error([&] { f.load(dir / "section.toml"); }),
            (dir / "section.toml").string() + ":1: unknown section [featurs]");
  std::ofstream(dir / "broken.toml") << "[features]\nn_fft = = 3\n";
  EXPECT_NE(config_error([&] { f.load(dir / "broken.toml"); }).find(":2:"), std::string::npos);
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

// A field's declared range is checked where the value is read, naming where it came from, and
// again by validate() for values set in code.
TEST(Config, DeclaredRangesAreCheckedWhereTheValueIsRead) {
  testing::TempDir dir;
  Fixture f;
  EXPECT_EQ(config_error([&] { f.set({"features.n_fft=8"}); }),
            "--set: features.n_fft = 8: expected 16..65536");
  EXPECT_EQ(config_error([&] { f.set({"features.power=3"}); }),
            "--set: features.power = 3: expected 1 or 2");
  EXPECT_EQ(config_error([&] { f.set({"features.amin=0"}); }),
            "--set: features.amin = 0: expected > 0");
  std::ofstream(dir / "rate.toml") << "[audio]\nsample_rate = 400000\n";
  EXPECT_EQ(
      config_error([&] { f.load(dir / "rate.toml"); }),
      (dir / "rate.toml").string() + ":2: audio.sample_rate = 400000: expected 1000..384000 Hz");
  features::FeatureConfig c;
  c.pcen_time_constant = -1;
  EXPECT_EQ(config_error([&] { c.validate(32000); }),
            "features.pcen_time_constant = -1: expected > 0 s");
}

TEST(Config, BoundsDescribeThemselves) {
  int n = 0;
  double x = 0;
  core::ConfigFields f("s");
  f.add("a", &n, "").within(1, 64);
  f.add("b", &x, "").at_least(0).below(1).or_special(-1, "for none");
  f.add("c", &x, "").above(0).unit("s");
  f.add("d", &x, "").at_most(2).unit("dB");
  f.add("e", &x, "").unit("Hz");
  EXPECT_EQ(f.find("a")->accepted(), "1..64");
  EXPECT_EQ(f.find("b")->accepted(), "0 ≤ b < 1, or -1 for none");
  EXPECT_EQ(f.find("c")->accepted(), "> 0 s");
  EXPECT_EQ(f.find("d")->accepted(), "≤ 2 dB");
  EXPECT_EQ(f.find("e")->accepted(), "");
  const core::Bounds b = f.find("b")->bounds;
  EXPECT_TRUE(b.admits(-1));
  EXPECT_TRUE(b.admits(0));
  EXPECT_FALSE(b.admits(1));
  EXPECT_FALSE(b.admits(-0.5));
  EXPECT_FALSE(b.admits(std::nan("")));
}

}  // namespace
}  // namespace chorus
