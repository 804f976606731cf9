#pragma once
// A LibTorch Network compiled for inference: described for inference (its lowering recorded as
// a program, its head by the names of its arrays; models/inference_description.hpp) and run as
// a graph::CompiledModel on the network's own parameters, the path a checkpoint's stored
// description takes without LibTorch. The outputs come back as the tensors
// NetworkImpl::forward_output gives.

#include <memory>

#include "graph/compiled_model.hpp"
#include "graph/int8_calibration.hpp"
#include "graph/precision.hpp"
#include "models/network.hpp"

namespace chorus::runtime {

class CompiledNetwork {
 public:
  // `network` in eval mode, its norms folded into its convolutions or not (the graphs fold
  // them); it is shared, not copied, and must not change afterwards. A ModelError when an
  // architecture cannot be described for inference. `automatic` precision is resolved for this
  // CPU (graph::resolve_precision). int8 needs the network's `calibration` (a ModelError without
  // one, or with one of another network). The first forward pass of each input shape compiles
  // its graph (graph/compiled_model.hpp: how windows and threads are shared).
  explicit CompiledNetwork(std::shared_ptr<models::NetworkImpl> network, int graph_batch = 1,
                           graph::Precision precision = graph::Precision::fp32,
                           const graph::Int8Calibration& calibration = {});

  // What NetworkImpl::forward_output gives for x [N, in_channels, mels, frames] (float32, any
  // layout), computed on `threads` threads. Safe to call from several threads at once.
  models::NetworkOutput forward_output(const torch::Tensor& x, int threads);
  torch::Tensor forward(const torch::Tensor& x, int threads) {
    return forward_output(x, threads).logits;
  }

  const models::NetworkImpl& network() const { return *network_; }
  const graph::CompiledModel& model() const { return *model_; }
  graph::Precision precision() const { return model_->precision(); }  // fp32, bf16 or int8
  // Bytes of the converted weights that the graphs compiled so far share.
  std::size_t weight_bytes() const { return model_->weight_bytes(); }

 private:
  std::shared_ptr<models::NetworkImpl> network_;
  std::unique_ptr<graph::CompiledModel> model_;
};

}  // namespace chorus::runtime
