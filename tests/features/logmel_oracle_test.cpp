// chorus log-mel against torchaudio.transforms.MelSpectrogram + AmplitudeToDB(top_db=80),
// computed live by tests/oracles/logmel_oracle.py on the very samples chorus decoded: real clips
// from ../shared/data converted to WAV/FLAC/Opus/MP3, and generated signals. Tolerance:
// 0.01 dB over the bins above the top_db floor.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "audio/audio_writer.hpp"
#include "audio/resampler.hpp"
#include "audio/waveform.hpp"
#include "core/npy.hpp"
#include "features/feature_extractor.hpp"
#include "support/signals.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

using testing::TempDir;

struct Wave {
  Wave(std::string n, std::span<const float> s) : name(std::move(n)), samples(s.begin(), s.end()) {}
  std::string name;
  std::vector<float> samples;  // at 32 kHz, as chorus decoded them
};

struct Settings {
  int n_fft;
  std::string mel_scale;
  std::string norm;
};

constexpr int kRate = 32000;
constexpr double kToleranceDb = 0.01;

features::FeatureConfig config_for(const Settings& s) {
  features::FeatureConfig c;
  c.n_fft = s.n_fft;
  c.mel_scale = *core::enum_from_name<features::MelScale>(s.mel_scale);
  c.mel_norm = *core::enum_from_name<features::MelNorm>(s.norm);
  return c;
}

// The real clips, round-tripped through every format chorus reads, and decoded by chorus.
std::vector<Wave> real_waves(const TempDir& dir) {
  const std::array<std::string, 3> clips = {
      "esc50_dev/train_audio/chirping_birds/esc50k-14-s00.ogg",
      "bird_extras/train_audio/gowwar/XC13738.ogg", "esc50_dev/train_audio/frog/esc50k-04-s00.ogg"};
  audio::AudioConfig config;  // 32 kHz, soxr hq
  std::vector<Wave> waves;
  for (const std::string& clip : clips) {
    const auto source = testing::shared_data() / clip;
    if (!std::filesystem::exists(source)) {
      ADD_FAILURE() << "missing shared clip " << source;
      continue;
    }
    audio::Waveform original = audio::load_audio(source, config);
    // At most 6 s keeps the oracle quick.
    original.samples.resize(std::min<std::size_t>(original.samples.size(), 6 * kRate));
    const std::string stem = std::filesystem::path(clip).stem().string();
    waves.push_back({stem + ".ogg", original.samples});
    for (const std::string ext : {".wav", ".flac", ".mp3", ".opus"}) {
      const auto path = dir / (stem + ext);
      if (ext == ".opus")  // Opus runs at 48 kHz only
        audio::write_audio(
            path, audio::resample(original.samples, kRate, 48000, audio::ResampleQuality::hq),
            48000);
      else
        audio::write_audio(path, original.samples, kRate);
      waves.push_back({stem + ext, audio::load_audio(path, config).samples});
    }
  }
  return waves;
}

std::vector<Wave> generated_waves(const TempDir& dir) {
  std::vector<Wave> waves;
  waves.push_back({"sweep", testing::sine_sweep(kRate, 3.0, 50, 15000)});
  waves.push_back({"white_noise", testing::white_noise(kRate, 2.0, 0.1, 3)});
  waves.push_back({"silence", std::vector<float>(kRate, 0.0f)});
  // A 1-sample file through the decoder: shorter than the centre padding.
  const auto one = dir / "one_sample.wav";
  audio::write_audio(one, std::vector<float>{0.25f}, kRate, {.float_wav = true});
  waves.push_back({"one_sample.wav", audio::load_audio(one, audio::AudioConfig{}).samples});
  return waves;
}

// Returns the largest difference over the compared bins.
double expect_close(const features::Spectrogram& ours, const core::NpyArray& ref,
                    const std::string& label) {
  EXPECT_EQ(ref.shape, (std::vector<std::int64_t>{ours.n_bins, ours.n_frames})) << label;
  if (ref.data.size() != ours.values.size()) return INFINITY;
  const float ref_max = *std::max_element(ref.data.begin(), ref.data.end());
  const float floor = ref_max - 80.0f;
  double worst = 0;
  std::size_t compared = 0;
  for (std::size_t i = 0; i < ref.data.size(); ++i) {
    if (ref.data[i] <= floor + 1e-4f && ours.values[i] <= floor + kToleranceDb) continue;
    worst = std::max(worst, std::fabs(static_cast<double>(ours.values[i]) - ref.data[i]));
    ++compared;
  }
  if (compared == 0) {  // silence: everything sits at the floor in both
    for (std::size_t i = 0; i < ref.data.size(); ++i)
      worst = std::max(worst, std::fabs(static_cast<double>(ours.values[i]) - ref.data[i]));
  }
  EXPECT_LE(worst, kToleranceDb) << label << ": max |chorus − torchaudio| = " << worst << " dB";
  return worst;
}

TEST(LogMelOracle, MatchesTorchaudioOnRealAndGeneratedSignals) {
  if (!testing::have_shared_data()) GTEST_SKIP() << "../shared/data not found";
  TempDir dir;
  std::vector<Wave> waves = real_waves(dir);
  for (Wave& w : generated_waves(dir)) waves.push_back(std::move(w));
  const std::vector<Settings> settings = {{512, "htk", "none"},       {1024, "htk", "none"},
                                          {2048, "htk", "none"},      {512, "slaney", "none"},
                                          {1024, "slaney", "slaney"}, {2048, "slaney", "none"}};

  nlohmann::json manifest;
  struct Pending {
    std::string label;
    features::Spectrogram ours;
    std::filesystem::path reference;
  };
  std::vector<Pending> pending;
  for (std::size_t w = 0; w < waves.size(); ++w) {
    const auto wave_path = dir / ("wave" + std::to_string(w) + ".npy");
    const std::array<std::int64_t, 1> shape{static_cast<std::int64_t>(waves[w].samples.size())};
    core::write_npy(wave_path, waves[w].samples, shape);
    for (const Settings& s : settings) {
      const features::FeatureConfig config = config_for(s);
      const auto out = dir / ("ref" + std::to_string(pending.size()) + ".npy");
      manifest["cases"].push_back(
          {{"wave", wave_path.string()},
           {"out", out.string()},
           {"sample_rate", kRate},
           {"n_fft", s.n_fft},
           {"hop_length", config.hop_length},
           {"n_mels", config.n_mels},
           {"f_min", config.f_min},
           {"f_max", config.f_max},
           {"mel_scale", s.mel_scale},
           {"norm", s.norm == "none" ? nlohmann::json() : nlohmann::json(s.norm)},
           {"top_db", config.top_db}});
      features::FeatureExtractor extractor(config, kRate);
      pending.push_back(
          {fmt::format("{} n_fft={} {} norm={}", waves[w].name, s.n_fft, s.mel_scale, s.norm),
           extractor.compute(waves[w].samples, 2), out});
    }
  }
  std::ofstream(dir / "manifest.json") << manifest.dump();
  testing::run_oracle("logmel_oracle.py", {(dir / "manifest.json").string()});
  double worst = 0;
  for (const Pending& p : pending)
    worst = std::max(worst, expect_close(p.ours, core::read_npy(p.reference), p.label));
  std::printf("%zu cases, worst |chorus - torchaudio| = %.5f dB\n", pending.size(), worst);
}

// PCEN on its own stage: the oracle applies librosa's definition (scipy's lfilter) to chorus's
// own mel power, so FFT rounding in faint bins cannot blur the comparison.
TEST(LogMelOracle, PcenMatchesScipyFilterDefinition) {
  TempDir dir;
  const std::vector<float> wave = testing::sine_sweep(kRate, 2.0, 200, 9000, 0.3);
  features::FeatureConfig config;
  config.scale = features::FeatureScale::pcen;
  const features::FeatureExtractor extractor(config, kRate);
  const features::Spectrogram power = extractor.mel().compute(wave, 1);
  const std::array<std::int64_t, 2> shape{power.n_bins, power.n_frames};
  core::write_npy(dir / "mel.npy", power.values, shape);
  nlohmann::json manifest;
  manifest["cases"].push_back({{"mel", (dir / "mel.npy").string()},
                               {"out", (dir / "ref.npy").string()},
                               {"sample_rate", kRate},
                               {"hop_length", config.hop_length},
                               {"pcen",
                                {{"gain", config.pcen_gain},
                                 {"bias", config.pcen_bias},
                                 {"power", config.pcen_power},
                                 {"time_constant", config.pcen_time_constant},
                                 {"eps", config.pcen_eps}}}});
  std::ofstream(dir / "manifest.json") << manifest.dump();
  testing::run_oracle("logmel_oracle.py", {(dir / "manifest.json").string()});
  const core::NpyArray ref = core::read_npy(dir / "ref.npy");
  features::Spectrogram ours = power;
  extractor.finish(ours.view(), 1);
  ASSERT_EQ(ref.data.size(), ours.values.size());
  // float32 arithmetic against scipy's float64 on the same input.
  for (std::size_t i = 0; i < ref.data.size(); ++i)
    ASSERT_NEAR(ours.values[i], ref.data[i], 1e-5 + 1e-5 * std::fabs(ref.data[i])) << "at " << i;
}

}  // namespace
}  // namespace chorus
