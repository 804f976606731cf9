// NumPy .npy files (chorus mel --npy output read back, precomputed features): the magic, the
// version, the header dictionary (dtype, fortran_order, shape) and the data length.

#include "core/npy.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return chorus::fuzz::read_as_file(data, size, ".npy",
                                    [](const auto& path) { chorus::core::read_npy(path); });
}
