// Shards partition the inputs deterministically; merged parts equal one run byte for byte.

#include "infer/shards.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "infer/output_writers.hpp"
#include "infer/prediction_run.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

TEST(Shards, PartitionIsDeterministicAndComplete) {
  const std::vector<std::filesystem::path> files = {"x/c.ogg", "a.ogg", "y/b.ogg", "d.flac",
                                                    "e.wav"};
  // A run's shard: the recordings it predicts (none finished before).
  const auto shard = [&](infer::Shard s) {
    std::vector<std::filesystem::path> mine;
    for (const auto& r : infer::pending_recordings(files, infer::RunOptions{.shard = s}))
      mine.push_back(r.file);
    return mine;
  };
  std::vector<std::filesystem::path> all;
  for (int i = 1; i <= 3; ++i) {
    const auto part = shard(infer::parse_shard(fmt::format("{}/3", i)));
    all.insert(all.end(), part.begin(), part.end());
  }
  infer::sort_canonically(all);
  auto sorted = files;
  infer::sort_canonically(sorted);
  EXPECT_EQ(all, sorted);
  EXPECT_EQ(shard({0, 3}), (std::vector<std::filesystem::path>{"a.ogg", "d.flac"}));
  EXPECT_THROW(infer::parse_shard("0/3"), ConfigError);
  EXPECT_THROW(infer::parse_shard("4/3"), ConfigError);
  EXPECT_THROW(infer::parse_shard("2-3"), ConfigError);
}

infer::RecordingScores recording(const std::string& stem, double seconds, float level) {
  infer::RecordingScores r;
  r.path = stem + ".ogg";
  r.stem = stem;
  r.sample_rate = 32000;
  r.duration_seconds = seconds;
  r.chunks = infer::plan_chunks(stem, static_cast<std::int64_t>(seconds * 32000), 32000, {}).chunks;
  r.scores = infer::ScoreMatrix(r.chunks.size(), 2, level);
  return r;
}

TEST(Shards, MergedPartsEqualASingleRun) {
  testing::TempDir dir;
  const std::vector<std::string> classes = {"a", "b"};
  // Stems whose chunk ends sort differently as text (s_5 < s_10 numerically only).
  const auto r1 = recording("s1", 15, 0.1f), r2 = recording("s2", 10, 0.2f),
             r3 = recording("s3", 5, 0.3f);
  infer::write_submission(dir / "single.csv", classes, {r1, r2, r3});
  infer::write_submission(dir / "part1.csv", classes, {r3, r1});
  infer::write_submission(dir / "part2.csv", classes, {r2});
  infer::merge_submissions({dir / "part2.csv", dir / "part1.csv"}, dir / "merged.csv");
  EXPECT_EQ(testing::read_text(dir / "merged.csv"), testing::read_text(dir / "single.csv"));
  try {
    infer::merge_submissions({dir / "part1.csv", dir / "single.csv"}, dir / "bad.csv");
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("row_id 's1_5' is also in"), std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.csv"));
}

}  // namespace
}  // namespace chorus
