#pragma once
// Reading and writing named tensors as safetensors files: the weight format of chorus
// checkpoints, and how torchvision/timm weights come in (converted once in Python).

#include <torch/types.h>

#include <filesystem>
#include <map>
#include <string>

namespace chorus::models {

// Named tensors sorted by name: a state dict.
using TensorMap = std::map<std::string, torch::Tensor>;

struct SafetensorsFile {
  TensorMap tensors;  // float32 (F32, and F16/BF16/F64 converted) or int64 (I64), CPU, contiguous
  std::map<std::string, std::string> metadata;
};

// Reads `path`; every bound is checked first (parse_safetensors_header), so truncated or hostile
// files are FormatErrors naming the file and the tensor, never a crash.
SafetensorsFile read_safetensors(const std::filesystem::path& path);

// Writes float32 and int64 tensors (others are a ModelError) atomically. Tensors are laid out in
// name order; the header is padded with spaces to a multiple of 8 bytes, as the reference does.
void write_safetensors(const std::filesystem::path& path, const TensorMap& tensors,
                       const std::map<std::string, std::string>& metadata = {});

}  // namespace chorus::models
