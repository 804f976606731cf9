#pragma once
// How a network describes its inference pass to a GraphBuilder (the runtime's inference graph)
// ("lowering"): each architecture writes, beside its forward(), the same computation as graph
// operations. Plain layers are lowered here by type, in Sequential order:
//
//   module                                   lowered to
//   Conv2d [+ folded BatchNorm] [+ ReLU | SiLU | FastSiLU]
//                                            one convolution with its activation fused
//   SqueezeExcitation                        global average → fc1 (+ activation) → fc2 +
//                                            sigmoid → scale
//   Identity, Dropout                        nothing (inference)
//   Sequential / Layers                      their children in order (nested ones flattened)
//   a LowerableModule (residual blocks)      its own lower()
//
// (BatchNorms are folded by runtime::optimize_for_inference before a network is lowered.)
// Anything else — an unfolded BatchNorm, an unknown module — is a ModelError naming it, so a
// network that cannot be compiled says so instead of computing something else.

#include <torch/nn/module.h>

#include <optional>

#include "models/graph_builder.hpp"

namespace chorus::models {

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

// A convolution whose BatchNorm `norm` has been folded into it, with `post` fused.
GraphValue lower_conv(GraphBuilder& graph, const torch::nn::Module& conv,
                      const torch::nn::Module& norm, GraphValue x, PostOp post = PostOp::none,
                      std::optional<GraphValue> residual = std::nullopt);

}  // namespace chorus::models
