#pragma once
// A network compiled for inference without LibTorch: its backbone's Program replayed into oneDNN
// InferenceGraphs (see inference_graph.hpp for why), its Head in plain C++, and the
// frequency-coordinate input plane where the model has one. `chorus predict` runs checkpoints
// through it, whether chorus-torch recorded the program from the LibTorch network
// (runtime::CompiledNetwork) or it was read from the checkpoint without LibTorch.
//
// How a batch is run: windows go through the graph `graph_batch` at a time (default 1: one
// window's activations stay in cache, and on this machine that is faster per window than
// batches of 16 — BENCHMARKS.md, "Models"), and with several threads each thread takes windows
// of its own on a single-threaded graph, which scales better than splitting one window's
// layers across threads. Only when there are fewer windows than threads do the threads share
// a window.
//
// Each concurrent caller gets its own graphs (kept for reuse, one set per input shape and thread
// count: oneDNN fixes a primitive's threads when it creates it), so
// forward may be called from several threads at once; the graphs share one converted copy of the
// weights (shared_weights.hpp). In bf16 and int8 the backbone computes in reduced precision; the
// head stays float32.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "graph/head.hpp"
#include "graph/inference_graph.hpp"
#include "graph/int8_calibration.hpp"
#include "graph/precision.hpp"
#include "graph/program.hpp"

namespace chorus::graph {

// The named float32 arrays a compiled model reads (a network's parameters and buffers, or a
// checkpoint's tensors); the model keeps it alive while it runs.
class TensorSource {
 public:
  virtual ~TensorSource() = default;
  // The array `name`; a ModelError naming it when there is none.
  virtual std::span<const float> get(const std::string& name) const = 0;
};

// Everything a checkpoint's network is for inference, by the names of its arrays.
struct NetworkDescription {
  std::int64_t in_channels = 1;       // the input planes the caller gives
  bool frequency_coordinate = false;  // a coordinate plane is added after them (model.coord_conv)
  Program backbone;                   // input [N, C, mels, frames] → feature map
  Head head;

  std::vector<std::string> tensor_names() const;
  nlohmann::json to_json() const;
  // A FormatError naming `source` when the record is damaged.
  static NetworkDescription from_json(const nlohmann::json& json, const std::string& source);
};

class CompiledModel {
 public:
  // `automatic` precision is resolved for this CPU (resolve_precision); int8 needs the network's
  // `calibration` (a ModelError without one, or with one of another network). A ModelError when
  // an array is missing or its size does not fit (checked here, before any window runs).
  CompiledModel(NetworkDescription description, std::shared_ptr<const TensorSource> tensors,
                int graph_batch = 1, Precision precision = Precision::fp32,
                const Int8Calibration& calibration = {});
  ~CompiledModel();
  CompiledModel(const CompiledModel&) = delete;
  CompiledModel& operator=(const CompiledModel&) = delete;

  // x: `shape` [N, in_channels, mels, frames] floats (NCHW) → the head's outputs, computed on
  // `threads` threads. The first call of each input shape compiles its graph.
  HeadOutput forward(std::span<const float> x, const Shape4& shape, int threads);

  const NetworkDescription& description() const { return description_; }
  Precision precision() const { return precision_; }  // fp32, bf16 or int8
  std::int64_t classes() const { return head_.classes(); }
  bool frame_outputs() const { return head_.frame_outputs(); }
  // Bytes of the converted weights that the graphs compiled so far share.
  std::size_t weight_bytes() const;

 private:
  // The backbone's feature map for `input` (`shape`, NCHW, the coordinate plane included).
  std::vector<float> features(const float* input, const Shape4& shape, int threads,
                              Shape4& features_shape);
  // A graph for `shape` that runs on `threads` threads: an idle one, or one compiled now.
  std::unique_ptr<InferenceGraph> acquire(const Shape4& shape, int threads);
  void release(const Shape4& shape, int threads, std::unique_ptr<InferenceGraph> graph);

  NetworkDescription description_;
  std::shared_ptr<const TensorSource> tensors_;
  TensorLookup lookup_;
  int graph_batch_;
  Precision precision_;
  std::shared_ptr<SharedWeights> weights_;
  std::shared_ptr<const Int8Plan> int8_;  // int8 only
  HeadRunner head_;
  std::mutex mutex_;
  using GraphKey = std::pair<Shape4, int>;  // input shape, threads
  std::map<GraphKey, std::vector<std::unique_ptr<InferenceGraph>>> idle_;
};

}  // namespace chorus::graph
