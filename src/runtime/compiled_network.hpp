#pragma once
// A Network for inference with its backbone compiled into oneDNN InferenceGraphs (see
// inference_graph.hpp for why) and its head — the architecture's classifier, GeM or SED — run by
// LibTorch on the feature map, which is small. `chorus predict` runs checkpoints through it.
//
// How a batch is run: windows go through the graph `graph_batch` at a time (default 1: one
// window's activations stay in cache, and on this machine that is faster per window than
// batches of 16 — BENCHMARKS.md, "Models"), and with several threads each thread takes windows
// of its own on a single-threaded graph, which scales better than splitting one window's
// layers across threads. Only when there are fewer windows than threads do the threads share
// a window.
//
// Each concurrent caller gets its own graphs (kept for reuse, one set per input shape), so
// forward_output may be called from several threads at once; the graphs share one converted copy
// of the weights (runtime/shared_weights.hpp). In bf16 the backbone computes in bf16 and the
// head, which LibTorch runs on the float32 feature map, stays float32; so in int8.

#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "models/int8_calibration.hpp"
#include "models/network.hpp"
#include "runtime/inference_graph.hpp"
#include "runtime/precision.hpp"

namespace chorus::runtime {

class CompiledNetwork {
 public:
  // `network` in eval mode with its norms folded (optimize_for_inference); it is shared, not
  // copied, and must not change afterwards. The first forward pass of each input shape
  // compiles its graph (a ModelError when an architecture cannot be compiled). `automatic`
  // precision is resolved for this CPU (resolve_precision). int8 needs the network's
  // `calibration` (a ModelError without one, or with one of another network).
  explicit CompiledNetwork(std::shared_ptr<models::NetworkImpl> network, int graph_batch = 1,
                           Precision precision = Precision::fp32,
                           const models::Int8Calibration& calibration = {});

  // What NetworkImpl::forward_output gives for x [N, in_channels, mels, frames] (float32, any
  // layout), computed on `threads` threads.
  models::NetworkOutput forward_output(const torch::Tensor& x, int threads);
  torch::Tensor forward(const torch::Tensor& x, int threads) {
    return forward_output(x, threads).logits;
  }

  const models::NetworkImpl& network() const { return *network_; }
  Precision precision() const { return precision_; }  // fp32, bf16 or int8
  // Bytes of the converted weights that the graphs compiled so far share.
  std::size_t weight_bytes() const;

 private:
  // The backbone's feature map for its input [N, C, mels, frames] (NCHW contiguous).
  torch::Tensor features(const torch::Tensor& input, int threads);
  std::unique_ptr<InferenceGraph> acquire(const Shape4& shape);
  void release(const Shape4& shape, std::unique_ptr<InferenceGraph> graph);

  std::shared_ptr<models::NetworkImpl> network_;
  int graph_batch_;
  Precision precision_;
  std::shared_ptr<SharedWeights> weights_;
  std::shared_ptr<const Int8Plan> int8_;  // int8 only
  std::mutex mutex_;
  std::map<Shape4, std::vector<std::unique_ptr<InferenceGraph>>> idle_;  // by input shape
};

}  // namespace chorus::runtime
