#pragma once
// The oracles' .npy files as tensors, and the comparison the oracle tests report.

#include <torch/types.h>

#include <filesystem>

#include "core/npy.hpp"

namespace chorus::testing {

inline torch::Tensor load_npy_tensor(const std::filesystem::path& path) {
  core::NpyArray array = core::read_npy(path);
  return torch::from_blob(array.data.data(), array.shape).clone();
}

inline double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

}  // namespace chorus::testing
