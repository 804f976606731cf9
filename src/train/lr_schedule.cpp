#include "train/lr_schedule.hpp"

#include <torch/optim/optimizer.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/error.hpp"

namespace chorus::train {

double learning_rate_at(const TrainConfig& c, std::int64_t step, std::int64_t steps_per_epoch) {
  CHORUS_CHECK(steps_per_epoch >= 1, "learning rate schedule: {} steps per epoch (expected ≥ 1)",
               steps_per_epoch);
  CHORUS_CHECK(step >= 0, "learning rate schedule: step {} (expected ≥ 0)", step);
  const std::int64_t total = static_cast<std::int64_t>(c.epochs) * steps_per_epoch;
  const std::int64_t warmup = std::min<std::int64_t>(
      total, std::llround(c.warmup_epochs * static_cast<double>(steps_per_epoch)));
  if (step < warmup) return c.lr * static_cast<double>(step + 1) / static_cast<double>(warmup + 1);
  if (step >= total) return c.min_lr;
  const double progress = static_cast<double>(step - warmup) / static_cast<double>(total - warmup);
  return c.min_lr + (c.lr - c.min_lr) * 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double lr) {
  for (torch::optim::OptimizerParamGroup& group : optimizer.param_groups())
    group.options().set_lr(lr);
}

}  // namespace chorus::train
