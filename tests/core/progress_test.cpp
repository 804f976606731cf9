#include "core/progress.hpp"

#include <gtest/gtest.h>

namespace chorus {
namespace {

TEST(Progress, LineShowsBarPercentRateAndEta) {
  EXPECT_EQ(core::Progress::format_line("decoding", 25, 100, "files", 5.0, 10),
            "decoding [##        ]  25% 25/100 files 5.0 files/s elapsed 0:05 ETA 0:15");
  EXPECT_EQ(core::Progress::format_line("scan", 7, 0, "files", 2.0, 0),
            "scan 7 files 3.5 files/s elapsed 0:02");
  EXPECT_EQ(core::Progress::format_line("x", 100, 100, "s", 3725.0, 0),
            "x 100% 100/100 s 0.0 s/s elapsed 1:02:05");
}

TEST(Progress, NoteFollowsTheRate) {
  EXPECT_EQ(core::Progress::format_line("epoch 1/3", 5, 10, "batches", 5.0, 0, "loss 0.412"),
            "epoch 1/3  50% 5/10 batches 1.0 batches/s elapsed 0:05 ETA 0:05  loss 0.412");
}

}  // namespace
}  // namespace chorus
