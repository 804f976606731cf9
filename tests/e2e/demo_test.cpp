// `chorus demo`, the first thing a user runs: the whole loop on the synthetic default, every
// step printed as the chorus command that does it, ending above its goal (macro ROC-AUC ≥ 0.95 on
// the synthetic soundscapes). Label `slow` (about three minutes on 2 cores): outside `make test`;
// BENCHMARKS.md has the table over seeds and instruction sets.

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

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

}  // namespace
}  // namespace chorus
