// Chunks, row_ids and windows on edge lengths, checked by hand.

#include "infer/chunk_plan.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chorus {
namespace {

constexpr int kRate = 32000;

std::vector<std::string> row_ids(const infer::ChunkPlan& plan) {
  std::vector<std::string> ids;
  for (const auto& c : plan.chunks) ids.push_back(c.row_id);
  return ids;
}

TEST(ChunkPlan, RowIdsOnEdgeLengths) {
  const infer::InferConfig c;
  // Shorter than a chunk: one chunk ending at 5.
  EXPECT_EQ(row_ids(infer::plan_chunks("s", 3 * kRate, kRate, c)),
            (std::vector<std::string>{"s_5"}));
  // Exactly 5 s: one chunk.
  EXPECT_EQ(row_ids(infer::plan_chunks("s", 5 * kRate, kRate, c)),
            (std::vector<std::string>{"s_5"}));
  // 12.3 s: chunks ending at 5, 10, 15.
  EXPECT_EQ(row_ids(infer::plan_chunks("BC2024_x", 12 * kRate + kRate / 3, kRate, c)),
            (std::vector<std::string>{"BC2024_x_5", "BC2024_x_10", "BC2024_x_15"}));
  // A whole 4-minute soundscape: 48 rows, the last ending at 240.
  const auto full = infer::plan_chunks("soundscape_1", 240 * kRate, kRate, c);
  ASSERT_EQ(full.chunks.size(), 48u);
  EXPECT_EQ(full.chunks.back().row_id, "soundscape_1_240");
  infer::InferConfig half;
  half.chunk_seconds = 2.5;
  half.context_seconds = 5;
  EXPECT_EQ(row_ids(infer::plan_chunks("s", 5 * kRate, kRate, half)),
            (std::vector<std::string>{"s_2.5", "s_5"}));
}

TEST(ChunkPlan, AShortTailIsNoChunkOfItsOwn) {
  infer::InferConfig c;  // min_last_chunk_seconds = 1
  // 10.13 s: two chunks; the 0.13 s after second 10 gets no row.
  EXPECT_EQ(row_ids(infer::plan_chunks("s", 10 * kRate + kRate * 13 / 100, kRate, c)),
            (std::vector<std::string>{"s_5", "s_10"}));
  // A tail of exactly the minimum keeps its chunk.
  EXPECT_EQ(infer::plan_chunks("s", 11 * kRate, kRate, c).chunks.size(), 3u);
  c.min_last_chunk_seconds = 0;  // every partial chunk
  EXPECT_EQ(infer::plan_chunks("s", 10 * kRate + 1, kRate, c).chunks.size(), 3u);
  c.min_last_chunk_seconds = 4;
  EXPECT_EQ(infer::plan_chunks("s", 13 * kRate, kRate, c).chunks.size(), 2u);
  // A recording shorter than the minimum still has its one chunk.
  EXPECT_EQ(infer::plan_chunks("s", kRate / 2, kRate, c).chunks.size(), 1u);
}

TEST(ChunkPlan, OverlapStartsChunksSooner) {
  infer::InferConfig c;
  c.overlap_seconds = 2.5;  // 5 s chunks every 2.5 s
  const auto plan = infer::plan_chunks("s", 10 * kRate, kRate, c);
  // Starts 0, 2.5, 5, 7.5 s (the last holds 2.5 s of the file).
  EXPECT_EQ(row_ids(plan), (std::vector<std::string>{"s_5", "s_7.5", "s_10", "s_12.5"}));
  EXPECT_EQ(plan.chunks[1].span.begin, 80000);
  EXPECT_EQ(plan.windows[1].begin, 0);  // its 10 s context: 2.5 s before the chunk
  c.overlap_seconds = 5;                // no hop left
  EXPECT_THROW(infer::plan_chunks("s", 10 * kRate, kRate, c), ConfigError);
}

TEST(ChunkPlan, ContextWindowsAreCentredAndReachPastTheEdges) {
  const infer::InferConfig c;  // 5 s chunks, 10 s context: 2.5 s either side
  const auto plan = infer::plan_chunks("s", 12 * kRate, kRate, c);
  ASSERT_EQ(plan.windows.size(), 3u);
  EXPECT_EQ(plan.windows[0].begin, -80000);  // −2.5 s
  EXPECT_EQ(plan.windows[0].end, 240000);    // 7.5 s
  EXPECT_EQ(plan.windows[2].begin, 240000);  // 7.5 s
  EXPECT_EQ(plan.windows[2].end, 560000);    // 17.5 s, past the 12 s file
  EXPECT_EQ(plan.chunks[1].windows, (std::vector<std::size_t>{1}));
}

TEST(ChunkPlan, SlidingWindowsOverlappingEachChunk) {
  infer::InferConfig c;
  c.mode = infer::InferMode::sliding;  // 5 s windows every 2.5 s
  const auto plan = infer::plan_chunks("s", 10 * kRate, kRate, c);
  // Windows start at 0, 2.5, 5 s (the last reaches 10 s).
  ASSERT_EQ(plan.windows.size(), 3u);
  EXPECT_EQ(plan.windows[2].begin, 160000);
  // Chunk [0, 5) overlaps windows [0,5) and [2.5,7.5); chunk [5,10) overlaps [2.5,7.5) and [5,10).
  EXPECT_EQ(plan.chunks[0].windows, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(plan.chunks[1].windows, (std::vector<std::size_t>{1, 2}));
}

TEST(ChunkPlan, SedScoresTheSlidingGridAndRefusesGaps) {
  infer::InferConfig c;
  c.mode = infer::InferMode::sed;
  const auto plan = infer::plan_chunks("s", 10 * kRate, kRate, c);
  ASSERT_EQ(plan.windows.size(), 3u);  // as sliding: windows at 0, 2.5, 5 s
  EXPECT_EQ(plan.chunks[1].windows, (std::vector<std::size_t>{1, 2}));
  c.hop_seconds = 6;  // a second of every 6 no window would see
  EXPECT_THROW(infer::plan_chunks("s", 10 * kRate, kRate, c), ConfigError);
  c.mode = infer::InferMode::context;  // windows do not hop there
  EXPECT_NO_THROW(infer::plan_chunks("s", 10 * kRate, kRate, c));
}

}  // namespace
}  // namespace chorus
