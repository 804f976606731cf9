#pragma once
// NumPy .npy files (format 1.0/2.0, little-endian float32, C order): the exchange format with the
// Python oracles and for `chorus mel --npy` / `chorus forward`.

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace chorus::core {

struct NpyArray {
  std::vector<std::int64_t> shape;
  std::vector<float> data;  // C order, product(shape) values
};

// Written atomically. Fails if data.size() != product(shape).
void write_npy(const std::filesystem::path& path, std::span<const float> data,
               std::span<const std::int64_t> shape);

// Reads '<f4' arrays; '<f8' is converted to float32. Anything else (other dtypes, Fortran
// order, truncated data, a header that is not a dict) is a FormatError naming the file.
NpyArray read_npy(const std::filesystem::path& path);

// A float32 .npy file mapped read-only into memory: the feature cache's entries are read this
// way, so a training run pages in only the frames it crops. Same checks as read_npy.
class MappedNpy {
 public:
  explicit MappedNpy(const std::filesystem::path& path);
  ~MappedNpy();
  MappedNpy(MappedNpy&& other) noexcept;
  MappedNpy(const MappedNpy&) = delete;
  MappedNpy& operator=(const MappedNpy&) = delete;
  MappedNpy& operator=(MappedNpy&&) = delete;

  const std::vector<std::int64_t>& shape() const { return shape_; }
  std::span<const float> data() const { return data_; }

 private:
  std::vector<std::int64_t> shape_;
  std::span<const float> data_;
  void* mapping_ = nullptr;
  std::size_t mapping_size_ = 0;
};

}  // namespace chorus::core
