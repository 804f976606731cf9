#pragma once
// A convolution's weights and bias with its BatchNorm folded in, as the inference graph and the
// int8 calibrator compute with them: per output channel scale = γ / √(var + eps), weights · scale,
// bias (b − mean) · scale + β, in double so that each folded value rounds once to float32 (as
// runtime::optimize_for_inference folds LibTorch modules). Without a norm they are the
// convolution's own, with zeros for a missing bias.

#include <vector>

#include "graph/graph_builder.hpp"

namespace chorus::graph {

struct FoldedConvolution {
  std::vector<float> weight;  // [out, in / groups, kH, kW]
  std::vector<float> bias;    // [out]
};

// A ModelError when the convolution's channels, groups and arrays do not fit together.
void check_shape(const Convolution& conv);

// check_shape first.
FoldedConvolution fold(const Convolution& conv);

}  // namespace chorus::graph
