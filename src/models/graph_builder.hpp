#pragma once
// What an architecture describes its inference pass to (models/lowering.hpp): the operations of
// an inference graph, without the machinery that runs them. The runtime module implements it
// with oneDNN primitives (runtime/inference_graph.hpp); keeping only the interface here lets each
// architecture write its lowering beside its forward() while the models module stays below the
// runtime that compiles them.

#include <array>
#include <cstdint>
#include <optional>

namespace torch::nn {
class Conv2dImpl;
}

namespace chorus::models {

// What a convolution applies to its output (after the residual sum, when there is one).
enum class PostOp { none, relu, silu, sigmoid };

// A tensor of the graph, [N, C, H, W].
struct GraphValue {
  int id = -1;
};

using Shape4 = std::array<std::int64_t, 4>;

class GraphBuilder {
 public:
  virtual ~GraphBuilder() = default;

  // post(conv(x) + accumulate): the convolution's weights and bias are copied. `accumulate`
  // (a residual) is consumed: its buffer becomes the result's, so nothing may read it later.
  virtual GraphValue conv(GraphValue x, const torch::nn::Conv2dImpl& conv,
                          PostOp post = PostOp::none,
                          std::optional<GraphValue> accumulate = std::nullopt) = 0;
  // Mean over H and W: [N, C, 1, 1].
  virtual GraphValue global_average(GraphValue x) = 0;
  // x · scale, scale [N, C, 1, 1] broadcast over H and W; consumes x (computed in place).
  virtual GraphValue scale_channels(GraphValue x, GraphValue scale) = 0;
  // Max pooling with implicit −∞ padding (torch's max_pool2d, floor mode).
  virtual GraphValue max_pool(GraphValue x, int kernel, int stride, int padding) = 0;
};

}  // namespace chorus::models
