// convert_to_channels_last and channels_last give tensors LibTorch treats as channels-last even
// where NCHW strides would also pass as channels-last contiguous (one channel, 1 × 1 kernels,
// depthwise weights): otherwise every EfficientNet activation stays NCHW and oneDNN reorders
// each layer (the training benchmark's 1.5×).

#include "runtime/channels_last.hpp"

#include <gtest/gtest.h>
#include <torch/types.h>

#include "core/error.hpp"
#include "models/network.hpp"

namespace chorus {
namespace {

TEST(ChannelsLast, AmbiguousShapesBecomeChannelsLast) {
  const torch::Tensor mono = torch::randn({4, 1, 16, 20});
  ASSERT_EQ(mono.suggest_memory_format(), torch::MemoryFormat::Contiguous);
  const torch::Tensor converted = runtime::channels_last(mono);
  EXPECT_EQ(converted.suggest_memory_format(), torch::MemoryFormat::ChannelsLast);
  EXPECT_TRUE(torch::equal(converted, mono));
  EXPECT_THROW(runtime::channels_last(torch::randn({4, 16})), ModelError);
}

TEST(ChannelsLast, EfficientNetActivationsStayChannelsLast) {
  const auto network =
      models::create_network({.arch = "efficientnet_b0", .in_channels = 1, .num_classes = 3});
  runtime::convert_to_channels_last(*network);
  for (const auto& p : network->named_parameters()) {
    if (p.value().dim() == 4) {
      EXPECT_EQ(p.value().suggest_memory_format(), torch::MemoryFormat::ChannelsLast) << p.key();
    }
  }
  torch::NoGradGuard no_grad;
  network->eval();
  const torch::Tensor features =
      network->backbone().forward_features(runtime::channels_last(torch::randn({2, 1, 64, 96})));
  EXPECT_EQ(features.suggest_memory_format(), torch::MemoryFormat::ChannelsLast);
}

}  // namespace
}  // namespace chorus
