// The LibTorch set-up every model module relies on: the precompiled header builds, thread counts
// are what chorus sets (LibTorch defaults to 1 here), and a spectrogram becomes a [1, F, T]
// tensor without reordering.

#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/types.h>

#include "features/spectrogram.hpp"

namespace chorus {
namespace {

TEST(TorchSetup, ThreadCountIsWhatWeSet) {
  at::set_num_threads(2);
  EXPECT_EQ(at::get_num_threads(), 2);
  at::set_num_threads(1);
  EXPECT_EQ(at::get_num_threads(), 1);
}

TEST(TorchSetup, SpectrogramLayoutIsTorchsFxT) {
  features::Spectrogram s(3, 4);
  for (int b = 0; b < 3; ++b)
    for (int t = 0; t < 4; ++t) s.at(b, t) = static_cast<float>(10 * b + t);
  const torch::Tensor x = torch::from_blob(s.values.data(), {1, 3, 4}).clone();
  EXPECT_EQ(x.index({0, 2, 1}).item<float>(), 21.0f);
  EXPECT_EQ(x.sum().item<float>(), 4 * (0 + 10 + 20) + 3 * (0 + 1 + 2 + 3));
}

}  // namespace
}  // namespace chorus
