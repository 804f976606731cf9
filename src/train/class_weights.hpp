#pragma once
// train.class_weights: a CSV with columns `class` and `weight` that scales each class's loss
// terms (rare species up, noisy ones down). Classes the file does not list keep weight 1.

#include <torch/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace chorus::train {

// One weight per class of `classes`, in that order ([C], float32). A FormatError naming the file
// and line for a class not among `classes`, a class listed twice, or a weight that is not a
// finite number ≥ 0.
torch::Tensor read_class_weights(const std::filesystem::path& path,
                                 const std::vector<std::string>& classes);

}  // namespace chorus::train
