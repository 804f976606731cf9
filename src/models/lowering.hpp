#pragma once
// How a network describes its inference pass to a GraphBuilder (the runtime's inference graph)
// ("lowering"): each architecture writes, beside its forward(), the same computation as graph
// operations. Plain layers are lowered here by type, in Sequential order:
//
//   module                                   lowered to
//   Conv2d [+ BatchNorm] [+ ReLU | SiLU | FastSiLU]
//                                            one convolution with its norm folded in and its
//                                            activation fused
//   SqueezeExcitation                        global average → fc1 (+ activation) → fc2 +
//                                            sigmoid → scale
//   Identity, Dropout                        nothing (inference)
//   Sequential / Layers                      their children in order (nested ones flattened)
//   a LowerableModule (residual blocks)      its own lower()
//
// A BatchNorm after a convolution goes to the graph with it (graph::Convolution::norm), which
// folds it; one that runtime::optimize_for_inference has already folded into the convolution's
// weights is skipped. The network must be in eval mode. Anything else — a BatchNorm without a
// convolution before it or without running statistics, an unknown module — is a ModelError
// naming it, so a network that cannot be compiled says so instead of computing something else.
//
// The graph::Convolution descriptions point into the modules' parameters, which must be
// contiguous float32 (as loaded; not channels-last) and outlive the graph.

#include <torch/nn/module.h>

#include <optional>

#include "graph/graph_builder.hpp"

namespace torch::nn {
class Conv2dImpl;
}

namespace chorus::models {

using graph::GraphBuilder;
using graph::GraphValue;
using graph::PostOp;

// A module whose inference pass is not a plain chain (a residual block): it lowers itself.
class LowerableModule {
 public:
  virtual ~LowerableModule() = default;
  virtual GraphValue lower(GraphBuilder& graph, GraphValue x) const = 0;
};

// The children of `sequence` in order. The last convolution of the chain sums `residual` into
// its output (consuming it) and then applies `post_residual` (ResNet's and RegNet's ReLU after
// the shortcut); its own activation, if any, must come after the sum too, so a chain that ends
// in an activation cannot take a residual.
GraphValue lower_sequence(GraphBuilder& graph, const torch::nn::Module& sequence, GraphValue x,
                          std::optional<GraphValue> residual = std::nullopt,
                          PostOp post_residual = PostOp::none);

// One module (see the list above).
GraphValue lower_module(GraphBuilder& graph, const torch::nn::Module& module, GraphValue x);

// A convolution followed by its BatchNorm `norm`, with `post` fused.
GraphValue lower_conv(GraphBuilder& graph, const torch::nn::Module& conv,
                      const torch::nn::Module& norm, GraphValue x, PostOp post = PostOp::none,
                      std::optional<GraphValue> residual = std::nullopt);

// `conv` as the graph takes it, with `norm` (a BatchNorm2d, or null: none) to fold in.
graph::Convolution describe_convolution(const torch::nn::Conv2dImpl& conv,
                                        const torch::nn::Module* norm = nullptr);

}  // namespace chorus::models
