#pragma once
// A network's inference pass compiled into a chain of oneDNN primitives, for one input shape.
//
// Why not LibTorch's eager forward: it runs every operator on its own, so each SiLU, residual
// add and squeeze-excitation product is another pass over the activations, every activation is
// a fresh allocation, and NCHW convolutions convert their input to oneDNN's layout and back.
// Here each convolution carries its activation and residual sum as oneDNN post-ops (SiLU on
// AVX-512 as a pass of graph/silu.hpp's kernel instead: faster than oneDNN's), activations
// stay channels-last (NHWC, which oneDNN's AVX-512 kernels take as they are, grouped
// convolutions included), and their buffers are planned once and reused (a window's working set
// stays in cache). A squeeze-excitation product whose reader is a 1 × 1 convolution with weights
// far smaller than the activations is never computed: each pass multiplies that convolution's
// weights by the channel scale instead (W · (s ⊙ x) = (W · diag(s)) · x; EfficientNet's first
// stages). The same libdnnl that LibTorch calls does the arithmetic, in float32, so the
// outputs equal LibTorch's to rounding (tests/runtime/compiled_network_test). In bf16
// (graph/precision.hpp) the weights and every activation between the input and the output are
// bf16, accumulated in fp32, with the same fused post-ops; input and output stay float32. In
// int8 the calibrated convolutions run on int8 input and weights (graph/int8_plan.hpp).
//
// Architectures describe themselves to it (models/lowering.hpp, through GraphBuilder), directly
// or through a recorded Program (program.hpp); a convolution's BatchNorm is folded into its
// weights where they are converted (folded_convolution.hpp). A graph owns its buffers: one graph
// runs one pass at a time (CompiledModel keeps one per concurrent caller).

#include <memory>
#include <optional>

#include "graph/graph_builder.hpp"
#include "graph/precision.hpp"

namespace chorus::graph {

class SharedWeights;
struct Int8Plan;

class InferenceGraph final : public GraphBuilder {
 public:
  // `precision` fp32, bf16 or int8 (not automatic: resolve it first); int8 takes the network's
  // plan (int8_plan.hpp), the others none. Convolution weights come from `weights`, shared with
  // the other graphs of a network, or from a store of the graph's own.
  explicit InferenceGraph(Shape4 input_shape, Precision precision = Precision::fp32,
                          std::shared_ptr<SharedWeights> weights = nullptr,
                          std::shared_ptr<const Int8Plan> int8 = nullptr);
  ~InferenceGraph();
  InferenceGraph(InferenceGraph&&) noexcept;
  InferenceGraph& operator=(InferenceGraph&&) noexcept;

  GraphValue input() const;
  Shape4 shape(GraphValue v) const;

  GraphValue conv(GraphValue x, const Convolution& conv, PostOp post = PostOp::none,
                  std::optional<GraphValue> accumulate = std::nullopt) override;
  GraphValue global_average(GraphValue x) override;
  GraphValue scale_channels(GraphValue x, GraphValue scale) override;
  GraphValue max_pool(GraphValue x, int kernel, int stride, int padding) override;

  // Ends the graph at `output` and plans its buffers; no operation may be added afterwards.
  void finish(GraphValue output);
  Shape4 output_shape() const;
  // Bytes of activation and scratch buffers the plan holds.
  std::size_t buffer_bytes() const;

  // input: the input shape's floats (NCHW); output: output_shape()'s floats (NCHW). Runs on the
  // calling thread with its OpenMP thread count.
  void run(const float* input, float* output);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chorus::graph
