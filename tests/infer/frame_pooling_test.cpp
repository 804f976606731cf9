// SED pooling checked by hand: frames to chunks by their centres (max and mean), the fallback to
// overlapping frames for spans finer than the frames, and spans no window covers.

#include "infer/frame_pooling.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chorus {
namespace {

constexpr int kRate = 100;  // samples per second, so 100 samples are 1 s

// Three 5 s windows every 2.5 s, 5 frames of 1 s each. Class 0: 10 × window + frame; class 1:
// 1 only in window 1's frame 2 (centred at 5 s, the boundary between the two chunks).
struct Fixture {
  std::vector<infer::SampleSpan> windows{{0, 500}, {250, 750}, {500, 1000}};
  infer::FrameOutputs frames{3, 5, 2};
  Fixture() {
    for (std::size_t w = 0; w < 3; ++w)
      for (std::size_t j = 0; j < 5; ++j) {
        frames.values[(w * 5 + j) * 2] = static_cast<float>(10 * w + j);
        frames.values[(w * 5 + j) * 2 + 1] = w == 1 && j == 2 ? 1.0f : 0.0f;
      }
  }
};

TEST(FramePooling, ChunksTakeTheFramesCentredInThem) {
  const Fixture f;
  // Centres: window 0 at 0.5 … 4.5 s, window 1 at 3 … 7 s, window 2 at 5.5 … 9.5 s.
  const auto max = infer::pool_frames(f.frames, f.windows, {500, 2}, infer::Aggregate::max, kRate);
  EXPECT_EQ(max.at(0, 0), 11.0f);  // window 0's frames and window 1's frames 0, 1
  EXPECT_EQ(max.at(1, 0), 24.0f);
  EXPECT_EQ(max.at(0, 1), 0.0f);
  EXPECT_EQ(max.at(1, 1), 1.0f);  // a centre on the boundary belongs to the later chunk
  const auto mean =
      infer::pool_frames(f.frames, f.windows, {500, 2}, infer::Aggregate::mean, kRate);
  EXPECT_FLOAT_EQ(mean.at(0, 0), (0 + 1 + 2 + 3 + 4 + 10 + 11) / 7.0f);
  EXPECT_FLOAT_EQ(mean.at(1, 0), (12 + 13 + 14 + 20 + 21 + 22 + 23 + 24) / 8.0f);
  EXPECT_FLOAT_EQ(mean.at(1, 1), 1 / 8.0f);
}

TEST(FramePooling, SpansFinerThanTheFramesTakeTheFramesOverlappingThem) {
  const Fixture f;
  // Half-second spans: [0, 0.5 s) holds no centre (window 0's first is at 0.5 s), so the frame
  // covering it speaks for it; [0.5 s, 1 s) holds that centre.
  const auto track =
      infer::pool_frames(f.frames, f.windows, {50, 20}, infer::Aggregate::max, kRate);
  EXPECT_EQ(track.at(0, 0), 0.0f);
  EXPECT_EQ(track.at(1, 0), 0.0f);
  EXPECT_EQ(track.at(2, 0), 1.0f);  // [1, 1.5 s): window 0's frame 1
  // [2.5, 3 s): window 0's frame 2 (centre 2.5 s) is in it; window 1's first centre is at 3 s.
  EXPECT_EQ(track.at(5, 0), 2.0f);
  // [3, 3.5 s) holds window 1's frame 0 (centre 3 s) only; window 0's frame 3 (centre 3.5 s) not.
  EXPECT_EQ(track.at(6, 0), 10.0f);
}

TEST(FramePooling, ASpanNoWindowCoversIsAnError) {
  const Fixture f;
  try {
    infer::pool_frames(f.frames, f.windows, {500, 3}, infer::Aggregate::max, kRate);
    FAIL() << "expected an error";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("[10.000 s, 15.000 s)"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace chorus
