// LibTorch's thread count and its BLAS's: --threads must bound both, or a head's matrix product
// wakes OpenBLAS's own pool (sized to the cores) beside chorus's workers. And LibTorch's
// pthreadpool, which chorus never uses, starts no threads.

#include "runtime/torch_threads.hpp"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/types.h>

#include <filesystem>
#include <iterator>

namespace chorus::runtime {
namespace {

TEST(TorchThreads, SetsLibTorchAndBlasPools) {
  if (!blas_threads().has_value())
    GTEST_SKIP() << "LibTorch's BLAS here has no thread pool of its own (not OpenBLAS)";
  for (const int threads : {1, 2, 1}) {
    set_torch_threads(threads);
    EXPECT_EQ(at::get_num_threads(), threads);
    EXPECT_EQ(blas_threads(), threads);
    // A product large enough for OpenBLAS to split still gives the same numbers.
    const torch::Tensor a = torch::arange(256 * 256, torch::kFloat32).reshape({256, 256}) / 65536;
    const torch::Tensor product = torch::mm(a, a.t());
    EXPECT_NEAR(product.index({255, 255}).item<float>(),
                (a.index({255}) * a.index({255})).sum().item<float>(), 1e-3);
  }
}

TEST(TorchThreads, AtLeastOneThread) {
  set_torch_threads(0);
  EXPECT_EQ(at::get_num_threads(), 1);
  if (blas_threads().has_value()) EXPECT_EQ(blas_threads(), 1);
}

std::ptrdiff_t threads_of_this_process() {
  return std::distance(std::filesystem::directory_iterator("/proc/self/task"),
                       std::filesystem::directory_iterator{});
}

// at::set_num_threads (which LibTorch also runs in every thread that first calls an ATen
// operation) re-created a pthreadpool of that many threads for LibTorch's XNNPACK and QNNPACK
// kernels, whose workers spun beside chorus's own before they slept.
TEST(TorchThreads, LibTorchsPthreadpoolStartsNoThreads) {
  const std::ptrdiff_t before = threads_of_this_process();
  for (const int threads : {4, 3, 4}) {
    at::set_num_threads(threads);
    EXPECT_EQ(threads_of_this_process(), before) << threads << " threads";
  }
  set_torch_threads(1);
}

}  // namespace
}  // namespace chorus::runtime
