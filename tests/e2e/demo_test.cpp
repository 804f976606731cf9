// `chorus demo`, the first thing a user runs: the whole loop on the synthetic default, every
// step printed as the chorus command that does it, ending above its goal (macro ROC-AUC ≥ 0.95 on
// the synthetic soundscapes); and with --selftrain, a self-training round after it. Label `slow`
// (about five minutes on 2 cores, and the --selftrain run about six and a half): outside
// `make test`; BENCHMARKS.md has the table over seeds and instruction sets.

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <vector>

#include "support/test_support.hpp"

namespace chorus {
namespace {

TEST(Demo, RunsTheWholeLoopAboveItsGoal) {
  testing::TempDir dir;
  const std::filesystem::path out = dir / "demo";
  const auto r = testing::run_chorus(
      {"--quiet", "demo", "--out", out.string(), "--train-seed", "3", "--threads", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // The dataset and its folds keep the default seed; the training seed reaches the training run.
  EXPECT_NE(r.out.find("--soundscapes 12 --backgrounds 8 --seed 7"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--k 4 --seed 7"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--threads 2 --set train.seed=3"), std::string::npos) << r.out;
  for (const char* file : {"demo.toml", "model/best.ckpt", "predictions/submission.csv",
                           "average_precision.png", "soundscape_00.png"})
    EXPECT_TRUE(std::filesystem::exists(out / file)) << file;
  std::smatch auc;
  ASSERT_TRUE(std::regex_search(r.out, auc, std::regex("macro ROC-AUC +([0-9.]+)"))) << r.out;
  EXPECT_GE(std::stod(auc[1]), 0.95) << r.out;
}

// --selftrain: the model is round 0 of chorus selftrain over a pool of 12 more soundscapes, and
// round 1's student is scored too; both stay above the goal.
TEST(Demo, SelfTrainingRound) {
  testing::TempDir dir;
  const std::filesystem::path out = dir / "demo";
  const auto r = testing::run_chorus({"--quiet", "demo", "--out", out.string(), "--train-seed", "3",
                                      "--threads", "2", "--selftrain"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("$ chorus selftrain"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--unlabeled " + (out / "pool/soundscapes/soundscape_23.ogg").string()),
            std::string::npos)
      << r.out;
  for (const char* file :
       {"selftrain/round_0/best.ckpt", "selftrain/round_0/pseudo.csv",
        "selftrain/round_1/best.ckpt", "selftrain/rounds.csv", "predictions_round1/submission.csv"})
    EXPECT_TRUE(std::filesystem::exists(out / file)) << file;
  EXPECT_FALSE(std::filesystem::exists(out / "model"));
  const std::regex auc("macro ROC-AUC +([0-9.]+)");
  std::vector<double> scores;
  for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), auc);
       it != std::sregex_iterator(); ++it)
    scores.push_back(std::stod((*it)[1]));
  ASSERT_EQ(scores.size(), 2u) << r.out;  // round 0, then the student
  for (double score : scores) EXPECT_GE(score, 0.95) << r.out;
}

}  // namespace
}  // namespace chorus
