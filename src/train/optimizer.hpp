#pragma once
// AdamW with timm's two parameter groups, and its state as named tensors for checkpoints.
//
// Groups (timm param_groups_weight_decay): group 0 holds the parameters with fewer than 2
// dimensions (biases, normalisation weights, GeM's p) and has no weight decay; group 1 holds the
// rest (convolution and linear weights) with train.weight_decay. Frozen parameters
// (requires_grad false) are left out; an empty group is not created.
//
// State: for each parameter name P that has been stepped, "P.exp_avg" and "P.exp_avg_sq"
// (float32, the parameter's shape) and "P.step" (int64 [1]), exactly what resuming needs: a
// save → load → continue run takes the same steps as an uninterrupted one.

#include <torch/optim/adamw.h>

#include <memory>

#include "models/safetensors.hpp"
#include "train/train_config.hpp"

namespace chorus::train {

std::unique_ptr<torch::optim::AdamW> make_optimizer(torch::nn::Module& model, const TrainConfig& c);

models::TensorMap optimizer_state(const torch::optim::AdamW& optimizer,
                                  const torch::nn::Module& model);

// Replaces the optimizer's state with `state` (copies). A ModelError naming the keys when a key
// names no parameter of the optimizer, a parameter's entries are incomplete, or a shape differs.
void load_optimizer_state(torch::optim::AdamW& optimizer, const torch::nn::Module& model,
                          const models::TensorMap& state);

}  // namespace chorus::train
