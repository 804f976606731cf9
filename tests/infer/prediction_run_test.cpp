// A prediction run over a folder: a corrupt file is reported and the run goes on; a resumed run
// finishes only what was missing; shards merged equal one run byte for byte.

#include "infer/prediction_run.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <numeric>

#include "audio/audio_writer.hpp"
#include "support/signals.hpp"
#include "support/test_scorer.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

// One class: the window's mean feature value.
class MeanScorer : public testing::TestScorer {
 public:
  MeanScorer() : TestScorer({"loud"}) {}
  void score(std::span<const float> windows, std::size_t count, int n_mels, int frames,
             std::span<float> logits) override {
    const std::size_t size = static_cast<std::size_t>(n_mels) * frames;
    for (std::size_t w = 0; w < count; ++w)
      logits[w] =
          std::accumulate(windows.begin() + static_cast<std::ptrdiff_t>(w * size),
                          windows.begin() + static_cast<std::ptrdiff_t>((w + 1) * size), 0.0f) /
          static_cast<float>(size) / 100.0f;
  }
};

std::filesystem::path make_folder(const testing::TempDir& dir) {
  const auto folder = dir / "recordings";
  std::filesystem::create_directories(folder / "site_b");
  audio::write_audio(folder / "a.ogg", testing::white_noise(32000, 11.0, 0.05, 1), 32000);
  audio::write_audio(folder / "site_b/b.flac", testing::white_noise(44100, 7.0, 0.2, 2), 44100);
  audio::write_audio(folder / "c.wav", testing::white_noise(32000, 5.0, 0.01, 3), 32000);
  std::ofstream(folder / "broken.wav") << "not audio";
  return folder;
}

TEST(PredictionRun, CorruptFileReportedResumeAndShards) {
  testing::TempDir dir;
  const auto folder = make_folder(dir);
  const infer::Predictor predictor({{"m", std::make_shared<MeanScorer>()}}, {});
  const auto files = infer::prediction_inputs({folder});
  ASSERT_EQ(files.size(), 4u);

  infer::RunOptions run{.out_dir = dir / "single", .workers = 2};
  const infer::RunSummary s = infer::run_prediction(predictor, files, run);
  EXPECT_EQ(s.predicted, 3u);
  EXPECT_EQ(s.failed, 1u);
  EXPECT_NE(testing::read_text(dir / "single/errors.csv").find("broken.wav"), std::string::npos);
  const std::string single = testing::read_text(dir / "single/submission.csv");
  EXPECT_EQ(single.substr(0, single.find('\n')), "row_id,loud");
  EXPECT_EQ(std::count(single.begin(), single.end(), '\n'),
            1 + 3 + 2 + 1);  // a: 3 chunks, b: 2, c: 1

  // A "killed" run: one part missing; resume computes only that one.
  std::filesystem::remove(dir / "single/parts/b.json");
  run.resume = true;
  const infer::RunSummary resumed = infer::run_prediction(predictor, files, run);
  EXPECT_EQ(resumed.resumed, 2u);
  EXPECT_EQ(resumed.predicted, 1u);
  EXPECT_EQ(testing::read_text(dir / "single/submission.csv"), single);

  // Two shards, merged.
  for (int i = 1; i <= 2; ++i) {
    infer::RunOptions shard{.out_dir = dir / fmt::format("shard{}", i),
                            .shard = infer::parse_shard(fmt::format("{}/2", i))};
    infer::run_prediction(predictor, files, shard);
  }
  infer::merge_submissions({dir / "shard2/submission.csv", dir / "shard1/submission.csv"},
                           dir / "merged.csv");
  EXPECT_EQ(testing::read_text(dir / "merged.csv"), single);
}

TEST(PredictionRun, FailFastStopsAtTheBadFile) {
  testing::TempDir dir;
  const auto folder = make_folder(dir);
  const infer::Predictor predictor({{"m", std::make_shared<MeanScorer>()}}, {});
  infer::RunOptions run{.out_dir = dir / "out", .fail_fast = true};
  EXPECT_THROW(infer::run_prediction(predictor, infer::prediction_inputs({folder}), run),
               FormatError);
  EXPECT_THROW(infer::prediction_inputs({dir / "nowhere"}), IoError);
}

}  // namespace
}  // namespace chorus
