// The end-to-end oracle of `chorus predict`: the same EfficientNet-B0 weights (1-channel stem)
// through the BirdCLEF 2024 1st-place Python pipeline (bench/peers/birdclef2024_predict.py:
// soundfile → per 5 s chunk a zero-padded 10 s window → torchaudio log-mel → AmplitudeToDB(80) →
// min-max → torchvision model → sigmoid) and through `chorus import --config
// examples/birdclef2024.toml` + `chorus predict` give the same submission: within 1e-4 with
// per-window spectrograms and — the issue asks 1e-3 — within 1e-4 too in the default
// shared-spectrogram mode, which recomputes the few frames a lone window pads differently.

#include <gtest/gtest.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/utils.h>

#include <cmath>
#include <fstream>
#include <random>

#include "audio/audio_writer.hpp"
#include "audio/noise.hpp"
#include "formats/score_table.hpp"
#include "models/model_registry.hpp"
#include "models/safetensors.hpp"
#include "models/state_dict.hpp"
#include "support/test_support.hpp"
#include "synth/call_synth.hpp"

namespace chorus {
namespace {

using testing::run_chorus;

// EfficientNet-B0 weights whose BatchNorm statistics are measured on spectrogram-like input
// (one training-mode pass with a cumulative average), so the logits move with the input:
// torchvision's initialisation leaves BatchNorm an identity and the logits nearly constant,
// which would hide a wrong feature pipeline.
void write_weights(const std::filesystem::path& path) {
  models::ModelConfig c;
  c.arch = "efficientnet_b0";
  c.in_channels = 1;
  c.num_classes = 3;
  torch::manual_seed(3);
  auto net = models::create_backbone(c);
  for (auto& module : net->modules(/*include_self=*/false))
    if (auto* bn = module->as<torch::nn::BatchNorm2d>()) bn->options.momentum(c10::nullopt);
  net->train();
  {
    torch::NoGradGuard no_grad;
    net->forward(torch::rand({4, 1, 128, 641}));
  }
  net->eval();
  models::write_safetensors(path, models::state_dict(*net));
}

// 23 s (not a multiple of 5): calls at several pitches over pink noise.
void write_soundscape(const std::filesystem::path& path) {
  std::vector<float> x(23 * 32000, 0.0f);
  std::mt19937 rng(5);
  audio::add_pink_noise(x, 0.01, rng);
  for (int i = 0; i < 8; ++i)
    synth::add_call(x, 32000, 0.5 + 2.7 * i,
                    {synth::CallShape::fm_sweep, 1500.0 + 700 * i, 3000.0 + 900 * i, 0.6, 0, 0},
                    0.3);
  audio::write_audio(path, x, 32000);
}

double max_difference(const formats::ScoreTable& a, const formats::ScoreTable& b) {
  EXPECT_EQ(a.row_ids, b.row_ids);
  EXPECT_EQ(a.classes, b.classes);
  double worst = 0;
  for (std::size_t i = 0; i < std::min(a.scores.size(), b.scores.size()); ++i)
    worst = std::max(worst, std::fabs(a.scores[i] - b.scores[i]));
  return worst;
}

TEST(PredictOracle, MatchesTheBirdClef2024PythonPipeline) {
  testing::TempDir dir;
  write_weights(dir / "w.safetensors");
  std::ofstream(dir / "classes.txt") << "a\nb\nc\n";
  const std::string config = std::string(CHORUS_SOURCE_DIR) + "/examples/birdclef2024.toml";
  const auto imported =
      run_chorus({"import", "--arch", "efficientnet_b0", "--weights",
                  (dir / "w.safetensors").string(), "--classes", (dir / "classes.txt").string(),
                  "--config", config, "--out", (dir / "m.ckpt").string()});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  write_soundscape(dir / "soundscape_1.ogg");

  testing::run_python("bench/peers/birdclef2024_predict.py",
                      {(dir / "m.ckpt").string(), (dir / "peer.csv").string(),
                       (dir / "soundscape_1.ogg").string()});
  const formats::ScoreTable peer = formats::read_score_table(dir / "peer.csv");
  ASSERT_EQ(peer.rows(), 5u);  // chunks ending at 5, 10, 15, 20, 25

  const auto per_window =
      run_chorus({"--quiet", "predict", (dir / "soundscape_1.ogg").string(), "--model",
                  (dir / "m.ckpt").string(), "--out", (dir / "per_window").string(), "--config",
                  config, "--set", "infer.per_window_spectrogram=true"});
  ASSERT_EQ(per_window.exit_code, 0) << per_window.err;
  const double exact =
      max_difference(formats::read_score_table(dir / "per_window/submission.csv"), peer);
  EXPECT_LE(exact, 1e-4);

  const auto shared = run_chorus({"--quiet", "predict", (dir / "soundscape_1.ogg").string(),
                                  "--model", (dir / "m.ckpt").string(), "--out",
                                  (dir / "shared").string(), "--config", config});
  ASSERT_EQ(shared.exit_code, 0) << shared.err;
  const double sliced =
      max_difference(formats::read_score_table(dir / "shared/submission.csv"), peer);
  EXPECT_LE(sliced, 1e-4);
  std::printf("max |chorus - peer|: per-window %.2e, shared spectrogram %.2e\n", exact, sliced);

  // The peer's scores must move from chunk to chunk, or the comparison proves little.
  double spread = 0;
  for (std::size_t row = 1; row < peer.rows(); ++row)
    spread = std::max(spread, std::fabs(peer.score(row, 0) - peer.score(0, 0)));
  EXPECT_GT(spread, 1e-3);
}

}  // namespace
}  // namespace chorus
