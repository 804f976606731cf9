#pragma once
// What the compiled-network tests compare against: a network with non-trivial norms (randomised
// running statistics, so folding them changes the weights), its outputs as trained, and the
// network folded for inference as CompiledNetwork takes it.

#include <torch/types.h>

#include <memory>

#include "models/batch_norm_statistics.hpp"
#include "models/network.hpp"
#include "runtime/inference_optimizer.hpp"

namespace chorus::testing {

struct FoldedReference {
  std::shared_ptr<models::NetworkImpl> network;  // eval mode, norms folded
  models::NetworkOutput output;                  // for the input it was made with, before folding
};

inline FoldedReference folded_reference(const models::ModelConfig& config, const torch::Tensor& x) {
  torch::manual_seed(3);
  auto network = models::create_network(config);
  randomise_batch_norms(*network);
  network->eval();
  torch::InferenceMode guard;
  models::NetworkOutput output = network->forward_output(x);
  runtime::optimize_for_inference(*network, {.fast_silu = false, .channels_last = false});
  return {network, output};
}

}  // namespace chorus::testing
