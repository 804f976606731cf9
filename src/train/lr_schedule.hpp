#pragma once
// The learning rate of every optimiser step: linear warmup, then cosine decay to min_lr.
//
// With W = round(warmup_epochs · steps_per_epoch) and S = epochs · steps_per_epoch steps:
//   step s < W:       lr · (s + 1) / (W + 1)
//   W ≤ s ≤ S:        min_lr + (lr − min_lr) · (1 + cos(π (s − W) / (S − W))) / 2
//   s > S:            min_lr
// This is torch.optim.lr_scheduler's SequentialLR of LinearLR(start_factor = 1/(W+1),
// total_iters = W) and CosineAnnealingLR(T_max = S − W, eta_min = min_lr), stepped once per
// optimiser step — the per-step warmup + cosine of transformers'
// get_cosine_with_min_lr_schedule_with_warmup, except that the warmup starts at lr/(W+1)
// rather than 0, so the first update is not wasted, and that the rate holds at min_lr after S
// instead of rising again.

#include <cstdint>

#include "train/train_config.hpp"

namespace torch::optim {
class Optimizer;
}

namespace chorus::train {

// The rate of 0-based optimiser step `step`; steps_per_epoch ≥ 1.
double learning_rate_at(const TrainConfig& c, std::int64_t step, std::int64_t steps_per_epoch);

// Sets the rate of every parameter group.
void set_learning_rate(torch::optim::Optimizer& optimizer, double lr);

}  // namespace chorus::train
