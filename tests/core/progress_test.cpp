#include <gtest/gtest.h>

#include "core/progress.hpp"

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

}  // namespace
}  // namespace chorus
