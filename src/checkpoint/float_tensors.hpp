#pragma once
// A checkpoint's floating-point tensors read without LibTorch, as the float32 arrays a compiled
// model reads (graph::TensorSource): F32 straight into place, F16, BF16 and F64 widened, and
// each checked finite, as models::Checkpoint::read checks them (a diverged or damaged model
// would score every recording NaN).

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "checkpoint/safetensors_header.hpp"
#include "core/buffer.hpp"
#include "graph/compiled_model.hpp"

namespace chorus::checkpoint {

// Whether every value is finite: no exponent of all ones (a loop over the bits; no allocation).
bool all_finite(std::span<const float> values);

class FloatTensors final : public graph::TensorSource {
 public:
  // Every floating-point tensor of the safetensors file at `path` (integer ones, such as
  // BatchNorm's num_batches_tracked, are skipped). FormatError or IoError naming the file.
  static std::shared_ptr<FloatTensors> read(const std::filesystem::path& path);
  // The same from a file opened by open_safetensors (its stream at the data section).
  static std::shared_ptr<FloatTensors> read(OpenSafetensors file,
                                            const std::filesystem::path& path);

  // A ModelError naming the file and `name` when it has no such tensor.
  std::span<const float> get(const std::string& name) const override;

 private:
  std::string source_;
  core::Buffer<float> values_;  // every tensor, one after another (not zero-filled: each is read)
  std::map<std::string, std::pair<std::size_t, std::size_t>> tensors_;  // offset, count
};

}  // namespace chorus::checkpoint
