// The warmup + cosine schedule against torch.optim.lr_scheduler (SequentialLR of LinearLR and
// CosineAnnealingLR) stepping a real optimizer, read back from a real AdamW here.

#include <gtest/gtest.h>
#include <torch/optim/adamw.h>

#include <fstream>

#include "support/test_support.hpp"
#include "train/lr_schedule.hpp"

namespace chorus {
namespace {

std::vector<double> oracle_rates(const train::TrainConfig& c, int steps_per_epoch) {
  testing::TempDir dir;
  testing::run_oracle("lr_schedule_oracle.py",
                      {(dir / "rates.txt").string(), std::to_string(c.epochs),
                       std::to_string(steps_per_epoch), fmt::format("{:.17g}", c.warmup_epochs),
                       fmt::format("{:.17g}", c.lr), fmt::format("{:.17g}", c.min_lr)});
  std::ifstream in(dir / "rates.txt");
  std::vector<double> rates;
  for (double r; in >> r;) rates.push_back(r);
  return rates;
}

void expect_schedule_matches(const train::TrainConfig& c, int steps_per_epoch) {
  const std::vector<double> expected = oracle_rates(c, steps_per_epoch);
  ASSERT_EQ(expected.size(), static_cast<std::size_t>(c.epochs * steps_per_epoch + 1));
  // Two groups, as make_optimizer builds them: the rate must reach both.
  torch::optim::AdamW optimizer(
      {torch::optim::OptimizerParamGroup({torch::zeros({2}, torch::requires_grad())}),
       torch::optim::OptimizerParamGroup({torch::zeros({2, 2}, torch::requires_grad())})});
  for (std::size_t step = 0; step < expected.size(); ++step) {
    const double lr = train::learning_rate_at(c, static_cast<std::int64_t>(step), steps_per_epoch);
    train::set_learning_rate(optimizer, lr);
    for (const auto& group : optimizer.param_groups())
      EXPECT_NEAR(group.options().get_lr(), expected[step], 1e-12 * c.lr) << "step " << step;
  }
}

TEST(LrScheduleOracle, WholeEpochWarmupThenCosine) {
  train::TrainConfig c;
  c.epochs = 3;
  c.warmup_epochs = 1.0;
  c.lr = 1e-3;
  c.min_lr = 1e-6;
  expect_schedule_matches(c, 10);
}

TEST(LrScheduleOracle, FractionalWarmup) {
  train::TrainConfig c;
  c.epochs = 4;
  c.warmup_epochs = 0.3;  // 2.1 → 2 steps
  c.lr = 3e-4;
  c.min_lr = 1e-5;
  expect_schedule_matches(c, 7);
}

TEST(LrScheduleOracle, NoWarmupIsCosineAlone) {
  train::TrainConfig c;
  c.epochs = 2;
  c.warmup_epochs = 0.0;
  c.lr = 1e-3;
  c.min_lr = 0.0;
  expect_schedule_matches(c, 5);
}

}  // namespace
}  // namespace chorus
