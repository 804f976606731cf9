#pragma once
// An exponential moving average of a model's weights (timm's ModelEmaV2 semantics): every
// parameter and buffer, ema ← decay · ema + (1 − decay) · value after each optimiser step;
// integer buffers (BatchNorm's num_batches_tracked) are copied, not averaged (as timm's
// ModelEmaV3 does; V2's float blend truncated into an integer is meaningless). Validation and
// the saved checkpoint can use the average instead of the raw weights.

#include <torch/nn/module.h>

#include "models/safetensors.hpp"

namespace chorus::train {

class ModelEma {
 public:
  // Starts from a copy of the model's current weights; 0 ≤ decay < 1.
  ModelEma(const torch::nn::Module& model, double decay);

  // One step of the average with the model's current weights. A ModelError when the model's
  // tensors are not the ones the average was made from (names, shapes).
  void update(const torch::nn::Module& model);
  // Writes the average into the model's parameters and buffers.
  void copy_to(torch::nn::Module& model) const;

  double decay() const { return decay_; }
  // The average by state-dict name (copies), for a checkpoint.
  models::TensorMap state() const;
  // Replaces the average; a ModelError listing missing, unexpected and mis-shaped keys.
  void load_state(const models::TensorMap& state);

 private:
  double decay_;
  models::TensorMap average_;
};

}  // namespace chorus::train
