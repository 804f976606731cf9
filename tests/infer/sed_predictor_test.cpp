// SED mode through the whole Predictor with a deterministic SED scorer whose frames follow a tone
// in a known time range: chunk scores (max and mean) and Audacity label times checked by hand,
// probabilities not squashed by a second sigmoid, and the configurations SED mode refuses.

#include <gtest/gtest.h>

#include <algorithm>

#include "audio/audio_writer.hpp"
#include "infer/prediction_run.hpp"
#include "support/signals.hpp"
#include "support/test_scorer.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

// Two classes. Output frame j of T' = frames / 32 (10 for a 5 s window: 0.5 s each) covers the
// input columns centred inside it; "tone" is 0.9 where the low half of the mel bands peaks above
// 0 dB in those columns (a loud 300 Hz tone; the quiet noise stays near −35 dB), else 0.1;
// "other" is 0.2 throughout.
class ToneFrameScorer : public testing::TestScorer {
 public:
  ToneFrameScorer() : TestScorer({"tone", "other"}) {}
  void score(std::span<const float>, std::size_t, int, int, std::span<float>) override {
    FAIL() << "SED mode must not ask for clip output";
  }
  int frame_outputs(int frames) const override { return frames / 32; }
  void score_frames(std::span<const float> windows, std::size_t count, int n_mels, int frames,
                    std::span<float> out) override {
    const int outputs = frame_outputs(frames);
    const std::size_t size = static_cast<std::size_t>(n_mels) * frames;
    ASSERT_EQ(out.size(), count * outputs * 2);
    // Column t is centred at t · hop; the window is (frames − 1) · hop long (centred STFT).
    const double columns_per_output = static_cast<double>(frames - 1) / outputs;
    for (std::size_t w = 0; w < count; ++w) {
      const float* x = windows.data() + w * size;
      for (int j = 0; j < outputs; ++j) {
        float peak = -1000;
        for (int t = 0; t < frames; ++t) {
          if (t < j * columns_per_output || t >= (j + 1) * columns_per_output) continue;
          for (int m = 0; m < n_mels / 2; ++m) peak = std::max(peak, x[m * frames + t]);
        }
        out[(w * outputs + j) * 2] = peak > 0 ? 0.9f : 0.1f;
        out[(w * outputs + j) * 2 + 1] = 0.2f;
      }
    }
  }
};

// Clip output only, as every model before SED heads.
class ClipScorer : public testing::TestScorer {
 public:
  ClipScorer() : TestScorer({"tone", "other"}) {}
  void score(std::span<const float>, std::size_t count, int, int,
             std::span<float> logits) override {
    std::fill_n(logits.begin(), count * 2, 0.0f);
  }
};

// 15 s of quiet noise with a loud 300 Hz tone from 6.1 to 8.4 s: the output frames [6, 6.5) …
// [8, 8.5) s hear it, in every window that covers them.
std::filesystem::path make_recording(const testing::TempDir& dir) {
  std::vector<float> x = testing::white_noise(32000, 15.0, 0.001, 5);
  const std::vector<float> tone = testing::sine(32000, 2.3, 300, 0.5);
  const std::size_t start = 32000 * 61 / 10;
  for (std::size_t i = 0; i < tone.size(); ++i) x[start + i] += tone[i];
  audio::write_audio(dir / "dawn.wav", x, 32000, {.float_wav = true});
  return dir / "dawn.wav";
}

infer::PredictorOptions sed_options(infer::Aggregate aggregate) {
  infer::PredictorOptions o;
  o.infer.mode = infer::InferMode::sed;  // 5 s windows every 2.5 s, 5 s chunks
  o.infer.aggregate = aggregate;
  return o;  // postprocess.activation stays "sigmoid": the model's own, not applied again
}

TEST(SedPredictor, ChunksPoolTheFramesCentredInThem) {
  testing::TempDir dir;
  const auto file = make_recording(dir);
  const infer::Predictor max({{"sed", std::make_shared<ToneFrameScorer>()}},
                             sed_options(infer::Aggregate::max));
  const infer::RecordingScores r = max.predict(file);
  ASSERT_EQ(r.chunks.size(), 3u);
  // Exactly the model's probabilities: a second sigmoid would give 0.711 and 0.525.
  EXPECT_EQ(r.scores.at(0, 0), 0.1f);
  EXPECT_EQ(r.scores.at(1, 0), 0.9f);
  EXPECT_EQ(r.scores.at(2, 0), 0.1f);
  for (std::size_t c = 0; c < 3; ++c) EXPECT_EQ(r.scores.at(c, 1), 0.2f);
  // The frame track: 0.5 s steps over the 15 s, the tone's five.
  ASSERT_EQ(r.frames.scores.rows, 30u);
  EXPECT_DOUBLE_EQ(r.frames.step_seconds, 0.5);
  for (std::size_t k = 0; k < 30; ++k)
    EXPECT_EQ(r.frames.scores.at(k, 0), k >= 12 && k < 17 ? 0.9f : 0.1f) << k;

  // Mean over chunk [5, 10 s): frames centred in it from windows [2.5, 7.5) (5, of them 3 in the
  // tone), [5, 10) (10, 5) and [7.5, 12.5) (5, 2): 10 of 20 at 0.9, the rest at 0.1.
  const infer::Predictor mean({{"sed", std::make_shared<ToneFrameScorer>()}},
                              sed_options(infer::Aggregate::mean));
  EXPECT_FLOAT_EQ(mean.predict(file).scores.at(1, 0), 0.5f);
}

TEST(SedPredictor, DetectionsHaveFrameTimesThroughARun) {
  testing::TempDir dir;
  const auto file = make_recording(dir);
  const infer::Predictor predictor({{"sed", std::make_shared<ToneFrameScorer>()}},
                                   sed_options(infer::Aggregate::max));
  const infer::RunOptions run{.out_dir = dir / "out", .band = {40, 15000}};
  ASSERT_EQ(infer::run_prediction(predictor, {file}, run).predicted, 1u);
  // The outputs are assembled from the saved part, frame track included.
  ASSERT_EQ(infer::load_part(dir / "out/parts/dawn.json").frames.scores.rows, 30u);
  // Frame edges, not the chunk's 5–10 s.
  EXPECT_EQ(testing::read_text(dir / "out/audacity/dawn.txt"), "6.000\t8.500\ttone 0.900\n");
  EXPECT_NE(testing::read_text(dir / "out/submission.csv").find("dawn_10,0.9,0.2"),
            std::string::npos);
}

TEST(SedPredictor, ADamagedFrameTrackInAPartIsAFormatError) {
  testing::TempDir dir;
  const auto file = make_recording(dir);
  const infer::Predictor predictor({{"sed", std::make_shared<ToneFrameScorer>()}},
                                   sed_options(infer::Aggregate::max));
  infer::RecordingScores r = predictor.predict(file);
  r.frames.scores = infer::ScoreMatrix(r.frames.scores.rows, 1);  // one score for two classes
  // save_part writes the class count of the chunk scores (2) and the frames' rows of 1.
  infer::save_part(dir / "part.json", r);
  try {
    infer::load_part(dir / "part.json");
    FAIL() << "expected an error";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("frame 0 has 1 scores for 2 classes"), std::string::npos)
        << e.what();
  }
}

TEST(SedPredictor, RefusesClipModelsAndSoftmax) {
  try {
    infer::Predictor({{"clip", std::make_shared<ClipScorer>()}},
                     sed_options(infer::Aggregate::max));
    FAIL() << "expected an error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("model 'clip' gives one output per window"),
              std::string::npos)
        << e.what();
  }
  infer::PredictorOptions softmax = sed_options(infer::Aggregate::max);
  softmax.postprocess.activation = infer::Activation::softmax;
  EXPECT_THROW(infer::Predictor({{"sed", std::make_shared<ToneFrameScorer>()}}, softmax),
               ConfigError);
}

}  // namespace
}  // namespace chorus
