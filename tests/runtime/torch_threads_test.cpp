// LibTorch's thread count and its BLAS's: --threads must bound both, or a head's matrix product
// wakes OpenBLAS's own pool (sized to the cores) beside chorus's workers.

#include "runtime/torch_threads.hpp"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/types.h>

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

}  // namespace
}  // namespace chorus::runtime
