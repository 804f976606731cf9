// The schedule's shape: warmup from ~0 to the peak, cosine down to min_lr, held after the end.

#include "train/lr_schedule.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace chorus {
namespace {

TEST(LrSchedule, WarmsUpPeaksAndDecaysToMinLr) {
  train::TrainConfig c;
  c.epochs = 4;
  c.warmup_epochs = 1.0;
  c.lr = 1e-3;
  c.min_lr = 1e-5;
  const int per_epoch = 10;
  EXPECT_DOUBLE_EQ(train::learning_rate_at(c, 0, per_epoch), 1e-3 / 11);  // ~0, not 0
  EXPECT_DOUBLE_EQ(train::learning_rate_at(c, per_epoch, per_epoch), 1e-3);
  EXPECT_DOUBLE_EQ(train::learning_rate_at(c, 4 * per_epoch, per_epoch), 1e-5);
  EXPECT_DOUBLE_EQ(train::learning_rate_at(c, 4 * per_epoch + 5, per_epoch), 1e-5);
  // Halfway through the cosine: halfway between lr and min_lr.
  EXPECT_NEAR(train::learning_rate_at(c, per_epoch + 15, per_epoch), (1e-3 + 1e-5) / 2, 1e-15);
  double previous = 0;
  for (int s = 0; s <= 4 * per_epoch; ++s) {
    const double lr = train::learning_rate_at(c, s, per_epoch);
    if (s <= per_epoch)
      EXPECT_GT(lr, previous) << s;
    else
      EXPECT_LT(lr, previous) << s;
    previous = lr;
  }
}

TEST(LrSchedule, BadStepsAreErrors) {
  train::TrainConfig c;
  EXPECT_EQ(testing::error_message([&] { train::learning_rate_at(c, 0, 0); }),
            "learning rate schedule: 0 steps per epoch (expected ≥ 1)");
  EXPECT_EQ(testing::error_message([&] { train::learning_rate_at(c, -1, 10); }),
            "learning rate schedule: step -1 (expected ≥ 0)");
}

}  // namespace
}  // namespace chorus
