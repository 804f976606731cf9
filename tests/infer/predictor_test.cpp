// The Predictor's plumbing with a deterministic scorer: chunks, windows, batches, the shared
// spectrogram against per-window spectrograms, ensembles and post-processing.

#include "infer/predictor.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <numeric>

#include "audio/audio_writer.hpp"
#include "audio/resampler.hpp"
#include "features/file_features.hpp"
#include "support/signals.hpp"
#include "support/test_scorer.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

// Two classes: the mean level (dB / 10) of the window's lower and upper halves of mel bands.
class BandLevelScorer : public testing::TestScorer {
 public:
  explicit BandLevelScorer(features::FeatureConfig features = {})
      : TestScorer({"low", "high"}, std::move(features)) {}
  void score(std::span<const float> windows, std::size_t count, int n_mels, int frames,
             std::span<float> logits) override {
    ++batches;
    const std::size_t size = static_cast<std::size_t>(n_mels) * frames;
    ASSERT_EQ(windows.size(), count * size);
    for (std::size_t w = 0; w < count; ++w) {
      const float* x = windows.data() + w * size;
      const std::size_t half = size / 2;  // rows are bands: the first half are the low bands
      logits[w * 2] = std::accumulate(x, x + half, 0.0f) / static_cast<float>(half) / 10.0f;
      logits[w * 2 + 1] =
          std::accumulate(x + half, x + size, 0.0f) / static_cast<float>(half) / 10.0f;
    }
  }
  int batches = 0;
};

// 12 s of quiet noise with a loud 300 Hz tone in seconds 5–10 only.
std::filesystem::path make_recording(const testing::TempDir& dir) {
  std::vector<float> x = testing::white_noise(32000, 12.0, 0.001, 1);
  const std::vector<float> tone = testing::sine(32000, 5.0, 300, 0.5);
  for (std::size_t i = 0; i < tone.size(); ++i) x[5 * 32000 + i] += tone[i];
  audio::write_audio(dir / "field_01.wav", x, 32000, {.float_wav = true});
  return dir / "field_01.wav";
}

infer::PredictorOptions options() {
  infer::PredictorOptions o;
  o.postprocess.activation = infer::Activation::none;
  o.infer.batch_size = 2;
  return o;
}

TEST(Predictor, ChunksWindowsAndBatches) {
  testing::TempDir dir;
  const auto file = make_recording(dir);
  auto scorer = std::make_shared<BandLevelScorer>();
  const infer::Predictor predictor({{"m", scorer}}, options());
  const infer::RecordingScores r = predictor.predict(file);
  ASSERT_EQ(r.chunks.size(), 3u);
  EXPECT_EQ(r.chunks[2].row_id, "field_01_15");
  EXPECT_EQ(scorer->batches, 2);  // 3 windows in batches of 2
  // The tone's chunk has the loudest low bands.
  EXPECT_GT(r.scores.at(1, 0), r.scores.at(0, 0));
  EXPECT_GT(r.scores.at(1, 0), r.scores.at(2, 0));
}

TEST(Predictor, SharedSpectrogramEqualsPerWindowAwayFromTheEdges) {
  testing::TempDir dir;
  const auto file = make_recording(dir);
  auto scorer = std::make_shared<BandLevelScorer>();
  const infer::RecordingScores shared = infer::Predictor({{"m", scorer}}, options()).predict(file);
  infer::PredictorOptions per_window = options();
  per_window.infer.per_window_spectrogram = true;
  const infer::RecordingScores separate =
      infer::Predictor({{"m", scorer}}, per_window).predict(file);
  ASSERT_EQ(shared.scores.values.size(), separate.scores.values.size());
  // The shared mode computes the frames a window alone would pad differently (its own edges, the
  // file's edges) from the window's samples, so the two agree to float rounding.
  for (std::size_t i = 0; i < shared.scores.values.size(); ++i)
    EXPECT_NEAR(shared.scores.values[i], separate.scores.values[i], 1e-5) << i;
}

TEST(Predictor, EnsembleAndPostprocessing) {
  testing::TempDir dir;
  const auto file = make_recording(dir);
  auto a = std::make_shared<BandLevelScorer>(), b = std::make_shared<BandLevelScorer>();
  infer::PredictorOptions o = options();
  o.postprocess.activation = infer::Activation::sigmoid;
  const auto single = infer::Predictor({{"a", a}}, o).predict(file);
  o.ensemble = "min(a, b)";
  const auto both = infer::Predictor({{"a", a}, {"b", b}}, o).predict(file);
  EXPECT_EQ(both.scores.values, single.scores.values);  // identical members
  for (float v : single.scores.values) EXPECT_TRUE(v > 0 && v < 1);
  o.postprocess.moving_average = 3;
  const auto smoothed = infer::Predictor({{"a", a}, {"b", b}}, o).predict(file);
  EXPECT_NEAR(smoothed.scores.at(0, 0), (single.scores.at(0, 0) + single.scores.at(1, 0)) / 2,
              1e-6);
}

// Members with the same mel settings share each block's mel power, and each finishes its own
// windows from it (here one in dB, one in PCEN): in an ensemble each scores as it does alone.
TEST(Predictor, MembersSharingMelSettingsFinishTheirOwnWindows) {
  testing::TempDir dir;
  const auto file = make_recording(dir);
  features::FeatureConfig pcen;
  pcen.scale = features::FeatureScale::pcen;
  ASSERT_EQ(features::mel_settings_text({}, pcen), features::mel_settings_text({}, {}));
  auto db = std::make_shared<BandLevelScorer>(),
       per_channel = std::make_shared<BandLevelScorer>(pcen);
  infer::PredictorOptions o = options();
  const auto alone_db = infer::Predictor({{"db", db}}, o).predict(file);
  const auto alone_pcen = infer::Predictor({{"pcen", per_channel}}, o).predict(file);
  ASSERT_NE(alone_db.scores.values, alone_pcen.scores.values);
  for (const auto& [member, alone] : {std::pair{"db", &alone_db}, std::pair{"pcen", &alone_pcen}}) {
    o.ensemble = member;
    const auto both = infer::Predictor({{"db", db}, {"pcen", per_channel}}, o).predict(file);
    EXPECT_EQ(both.scores.values, alone->scores.values) << member;
  }
}

// A library caller's samples in memory score as the same samples in a file do: at the model's
// rate exactly; at another rate to the float rounding of resampling the whole signal at once
// rather than block by block.
TEST(Predictor, PcmInMemoryScoresAsTheFileDoes) {
  testing::TempDir dir;
  auto scorer = std::make_shared<BandLevelScorer>();
  const infer::Predictor predictor({{"m", scorer}}, options());
  std::vector<float> x = testing::white_noise(32000, 12.0, 0.001, 1);
  const std::vector<float> tone = testing::sine(32000, 5.0, 300, 0.5);
  for (std::size_t i = 0; i < tone.size(); ++i) x[5 * 32000 + i] += tone[i];
  audio::write_audio(dir / "field_01.wav", x, 32000, {.float_wav = true});
  const infer::RecordingScores from_file = predictor.predict(dir / "field_01.wav");
  features::PcmSource pcm("field_01.wav", x, 32000);
  const infer::RecordingScores from_memory = predictor.predict(pcm);
  EXPECT_EQ(from_memory.chunks[2].row_id, from_file.chunks[2].row_id);
  EXPECT_EQ(from_memory.duration_seconds, from_file.duration_seconds);
  EXPECT_EQ(from_memory.scores.values, from_file.scores.values);

  const std::vector<float> x48 = audio::resample(x, 32000, 48000, audio::ResampleQuality::vhq);
  audio::write_audio(dir / "field_48k.wav", x48, 48000, {.float_wav = true});
  const infer::RecordingScores file48 = predictor.predict(dir / "field_48k.wav");
  features::PcmSource pcm48("field_48k.wav", x48, 48000);
  const infer::RecordingScores memory48 = predictor.predict(pcm48);
  ASSERT_EQ(memory48.scores.values.size(), file48.scores.values.size());
  // Logits are mean dB / 10 (magnitude ≤ 10): float32 rounding of the samples moves them by
  // far less than 1e-4.
  for (std::size_t i = 0; i < file48.scores.values.size(); ++i)
    EXPECT_NEAR(memory48.scores.values[i], file48.scores.values[i], 1e-4) << i;
}

TEST(Predictor, PcmThatIsNotFiniteIsRefusedByName) {
  std::vector<float> x(32000, 0.1f);
  x[100] = std::numeric_limits<float>::infinity();
  EXPECT_EQ(testing::error_message([&] { features::PcmSource("mic", x, 32000); }),
            "mic: sample 100 is not finite (inf)");
  EXPECT_EQ(testing::error_message([&] { features::PcmSource("mic", {}, 32000); }),
            "mic: no samples");
}

TEST(Predictor, LongRecordingsGoThroughInBlocks) {
  // 340 s: 68 chunks, more than one block of windows; a tone in chunk 66 (330–335 s).
  testing::TempDir dir;
  std::vector<float> x = testing::white_noise(32000, 340.0, 0.001, 2);
  const std::vector<float> tone = testing::sine(32000, 5.0, 300, 0.5);
  for (std::size_t i = 0; i < tone.size(); ++i) x[330 * 32000 + i] += tone[i];
  audio::write_audio(dir / "long.flac", x, 32000);
  auto scorer = std::make_shared<BandLevelScorer>();
  const auto shared = infer::Predictor({{"m", scorer}}, options()).predict(dir / "long.flac");
  infer::PredictorOptions per_window = options();
  per_window.infer.per_window_spectrogram = true;
  const auto separate = infer::Predictor({{"m", scorer}}, per_window).predict(dir / "long.flac");
  ASSERT_EQ(shared.chunks.size(), 68u);
  std::size_t loudest = 0;
  for (std::size_t c = 0; c < 68; ++c) {
    if (shared.scores.at(c, 0) > shared.scores.at(loudest, 0)) loudest = c;
    EXPECT_NEAR(shared.scores.at(c, 0), separate.scores.at(c, 0), 1e-5) << "chunk " << c;
  }
  EXPECT_EQ(loudest, 66u);
}

}  // namespace
}  // namespace chorus
