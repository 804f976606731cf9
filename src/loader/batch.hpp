#pragma once
// One training batch as the Trainer consumes it: plain arrays in the layout of the tensors they
// become (torch::from_blob, no reordering).

#include <cstddef>
#include <vector>

namespace chorus::loader {

struct Batch {
  int size = 0;  // inputs
  int n_mels = 0;
  int frames = 0;
  int classes = 0;
  // size × 1 × n_mels × frames: finished log-mel, as the Predictor's inputs
  std::vector<float> inputs;
  std::vector<float> targets, masks;  // size × classes
  std::vector<float> weights;         // size
  std::vector<std::size_t> items;     // size × data.halves dataset item indices, row-major
};

}  // namespace chorus::loader
