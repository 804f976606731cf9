#pragma once
// What an architecture describes its inference pass to (models/lowering.hpp): the operations of
// an inference graph, without the machinery that runs them, and each convolution's parameters
// as plain float32 arrays. The inference graph implements it with oneDNN primitives
// (graph/inference_graph.hpp); keeping LibTorch out of this interface lets a network described
// once run without LibTorch.

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace chorus::graph {

// What a convolution applies to its output (after the residual sum, when there is one).
enum class PostOp { none, relu, silu, sigmoid };

// A tensor of the graph, [N, C, H, W].
struct GraphValue {
  int id = -1;
};

using Shape4 = std::array<std::int64_t, 4>;

// The BatchNorm that follows a convolution, in inference: y = (x − mean) / √(var + eps) · weight
// + bias. weight and bias are empty for a norm without affine parameters.
struct BatchNorm {
  std::span<const float> weight, bias, running_mean, running_var;
  double eps = 1e-5;
};

// A 2-d convolution with zero padding. The arrays are read, not copied, while the graph is
// compiled and whenever it is compiled again (for another input shape): they must outlive it.
struct Convolution {
  std::int64_t in_channels = 0, out_channels = 0, groups = 1;
  std::array<std::int64_t, 2> kernel{1, 1}, stride{1, 1}, padding{0, 0}, dilation{1, 1};
  std::span<const float> weight;  // [out, in / groups, kH, kW], contiguous
  std::span<const float> bias;    // [out], or empty: none
  // Folded into the weights and bias where the graph converts them (folded_convolution.hpp).
  std::optional<BatchNorm> norm;
};

class GraphBuilder {
 public:
  virtual ~GraphBuilder() = default;

  // post(conv(x) + accumulate). `accumulate` (a residual) is consumed: its buffer becomes the
  // result's, so nothing may read it later.
  virtual GraphValue conv(GraphValue x, const Convolution& conv, PostOp post = PostOp::none,
                          std::optional<GraphValue> accumulate = std::nullopt) = 0;
  // Mean over H and W: [N, C, 1, 1].
  virtual GraphValue global_average(GraphValue x) = 0;
  // x · scale, scale [N, C, 1, 1] broadcast over H and W; consumes x (computed in place).
  virtual GraphValue scale_channels(GraphValue x, GraphValue scale) = 0;
  // Max pooling with implicit −∞ padding (torch's max_pool2d, floor mode).
  virtual GraphValue max_pool(GraphValue x, int kernel, int stride, int padding) = 0;
};

}  // namespace chorus::graph
