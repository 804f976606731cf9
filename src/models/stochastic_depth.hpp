#pragma once
// Stochastic depth (Huang et al. 2016; torchvision.ops.StochasticDepth, mode "row"): in training,
// a residual block's branch is dropped for whole samples with probability p and the kept ones
// are scaled by 1 / (1 − p), so the expectation is the branch itself and inference is unchanged.
// The noise of a noisy student (BirdCLEF 2025 1st place: 0.15, in the student rounds only).

#include <torch/types.h>

namespace chorus::models {

// `x` [N, …] with each sample kept with probability 1 − p (scaled) or zeroed.
torch::Tensor stochastic_depth(const torch::Tensor& x, double p);

// Block `index` of `total` (0-based, through the whole network): the last probability scaled
// linearly, 0 for the first block (torchvision's EfficientNet schedule).
inline double block_drop_probability(double last, int index, int total) {
  return total > 0 ? last * index / total : 0.0;
}

}  // namespace chorus::models
