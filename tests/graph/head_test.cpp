// The compiled head on small hand-computed cases (LibTorch's heads are the reference for whole
// networks in tests/runtime/compiled_network_test), and a head whose arrays do not fit the
// feature map is refused naming the array.

#include "graph/head.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace chorus {
namespace {

struct Arrays {
  std::map<std::string, std::vector<float>> values;
  graph::TensorLookup lookup() const {
    return [this](const std::string& name) -> std::span<const float> { return values.at(name); };
  }
};

// A SED head reading the arrays by these names.
const graph::Head kSed{.kind = graph::HeadKind::sed,
                       .fc1_weight = "fc1.weight",
                       .fc1_bias = "fc1.bias",
                       .att_weight = "att.weight",
                       .att_bias = "att.bias",
                       .cla_weight = "cla.weight",
                       .cla_bias = "cla.bias"};

TEST(Head, LinearAndGemPoolThenClassify) {
  // Features [1 window, 2 channels, 1, 2]: channel means 2 and 4.
  const std::vector<float> features{1, 3, 2, 6};
  Arrays a;
  a.values = {{"fc.weight", {1, 0, 0.5f, 0.5f}}, {"fc.bias", {0, 1}}, {"p", {1}}};
  graph::Head linear{
      .kind = graph::HeadKind::linear, .fc_weight = "fc.weight", .fc_bias = "fc.bias"};
  const graph::HeadOutput out =
      graph::HeadRunner(linear, a.lookup(), 2).run(features, {1, 2, 1, 2});
  EXPECT_EQ(out.classes, 2);
  EXPECT_FLOAT_EQ(out.logits[0], 2.0f);
  EXPECT_FLOAT_EQ(out.logits[1], 0.5f * 2 + 0.5f * 4 + 1);
  EXPECT_TRUE(out.frame_probabilities.empty());

  // GeM with p = 1 is the mean; with p = 2 the root mean square.
  graph::Head gem = linear;
  gem.kind = graph::HeadKind::gem;
  gem.p = "p";
  EXPECT_FLOAT_EQ(graph::HeadRunner(gem, a.lookup(), 2).run(features, {1, 2, 1, 2}).logits[0],
                  2.0f);
  a.values["p"] = {2};
  EXPECT_NEAR(graph::HeadRunner(gem, a.lookup(), 2).run(features, {1, 2, 1, 2}).logits[0],
              std::sqrt(5.0f), 1e-6);
}

// Mean pooling over a map larger than its sums' unrolling (3 × 7 values, not a multiple of 4):
// every value counts once.
TEST(Head, LinearPoolingAveragesEveryValueOfTheMap) {
  constexpr std::int64_t kFreq = 3, kTime = 7, kArea = kFreq * kTime;
  std::vector<float> features(2 * kArea);
  double sums[2] = {0, 0};
  for (std::int64_t i = 0; i < 2 * kArea; ++i) {
    features[static_cast<std::size_t>(i)] = 0.25f * static_cast<float>((i * 7) % 11) - 1.0f;
    sums[i / kArea] += features[static_cast<std::size_t>(i)];
  }
  Arrays a;
  a.values = {{"fc.weight", {1, 0, 0, 1}}, {"fc.bias", {0, 0}}};
  const graph::Head linear{
      .kind = graph::HeadKind::linear, .fc_weight = "fc.weight", .fc_bias = "fc.bias"};
  const graph::HeadOutput out =
      graph::HeadRunner(linear, a.lookup(), 2).run(features, {1, 2, kFreq, kTime});
  EXPECT_FLOAT_EQ(out.logits[0], static_cast<float>(sums[0] / kArea));
  EXPECT_FLOAT_EQ(out.logits[1], static_cast<float>(sums[1] / kArea));
}

TEST(Head, SedAttentionSumsToOneOverTime) {
  // One channel, three frames, one class; fc1 the identity, att flat: equal attention.
  Arrays a;
  a.values = {{"fc1.weight", {1}}, {"fc1.bias", {0}},   {"att.weight", {0}},
              {"att.bias", {0}},   {"cla.weight", {1}}, {"cla.bias", {0}}};
  const graph::HeadRunner runner(kSed, a.lookup(), 1);
  EXPECT_TRUE(runner.frame_outputs());
  // Frames 3, 0, 6: smoothed = max + mean of each neighbourhood (zero padding counted).
  const graph::HeadOutput out = runner.run(std::vector<float>{3, 0, 6}, {1, 1, 1, 3});
  ASSERT_EQ(out.frames, 3);
  const float smoothed[3] = {3 + 1.0f, 6 + 3.0f, 6 + 2.0f};
  float logit = 0;
  for (int t = 0; t < 3; ++t) {
    EXPECT_FLOAT_EQ(out.attention[static_cast<std::size_t>(t)], 1.0f / 3);
    EXPECT_FLOAT_EQ(out.frame_probabilities[static_cast<std::size_t>(t)],
                    1.0f / (1.0f + std::exp(-smoothed[t])));
    logit += smoothed[t] / 3;
  }
  EXPECT_FLOAT_EQ(out.logits[0], logit);
}

// A window's outputs are the same floats alone as in a batch of any size at any place in it (a
// product over the whole batch gave its last rows other last bits than the same rows alone), so
// that infer.batch_size and the windows beside a window do not move its scores.
TEST(Head, AWindowsOutputsDoNotDependOnItsBatch) {
  constexpr std::int64_t kChannels = 256, kClasses = 40, kFreq = 2, kTime = 5, kBatch = 16;
  std::mt19937 random(7);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  const auto values = [&](std::int64_t n) {
    std::vector<float> v(static_cast<std::size_t>(n));
    for (float& x : v) x = uniform(random);
    return v;
  };
  Arrays a;
  a.values = {{"fc.weight", values(kClasses * kChannels)},
              {"fc.bias", values(kClasses)},
              {"p", {3}},
              {"fc1.weight", values(kChannels * kChannels)},
              {"fc1.bias", values(kChannels)},
              {"att.weight", values(kClasses * kChannels)},
              {"att.bias", values(kClasses)},
              {"cla.weight", values(kClasses * kChannels)},
              {"cla.bias", values(kClasses)}};
  const graph::Head linear{
      .kind = graph::HeadKind::linear, .fc_weight = "fc.weight", .fc_bias = "fc.bias"};
  graph::Head gem = linear;
  gem.kind = graph::HeadKind::gem;
  gem.p = "p";
  const std::int64_t plane = kChannels * kFreq * kTime;
  std::vector<float> features = values(kBatch * plane);
  for (float& x : features) x = std::abs(x);  // GeM's input, as after a SiLU or ReLU
  for (const graph::Head& head : {linear, gem, kSed}) {
    const graph::HeadRunner runner(head, a.lookup(), kChannels);
    for (const std::int64_t batch : {kBatch, std::int64_t{7}}) {
      const graph::HeadOutput together = runner.run(
          std::span<const float>(features).first(static_cast<std::size_t>(batch * plane)),
          {batch, kChannels, kFreq, kTime});
      for (std::int64_t w = 0; w < batch; ++w) {
        const graph::HeadOutput alone =
            runner.run(std::span<const float>(features).subspan(static_cast<std::size_t>(w * plane),
                                                                static_cast<std::size_t>(plane)),
                       {1, kChannels, kFreq, kTime});
        const auto in_batch = [&](const std::vector<float>& v) {
          const std::size_t size = v.size() / static_cast<std::size_t>(batch);
          return std::vector<float>(v.begin() + static_cast<std::ptrdiff_t>(w * size),
                                    v.begin() + static_cast<std::ptrdiff_t>((w + 1) * size));
        };
        // Exact: the same floats, bit for bit.
        EXPECT_EQ(in_batch(together.logits), alone.logits)
            << core::enum_name(head.kind) << " head, window " << w << " of " << batch;
        EXPECT_EQ(in_batch(together.frame_probabilities), alone.frame_probabilities)
            << core::enum_name(head.kind) << " head, window " << w << " of " << batch;
      }
    }
  }
}

TEST(Head, RefusesArraysThatDoNotFitTheFeatureMap) {
  Arrays a;
  a.values = {{"fc.weight", {1, 2, 3}}, {"fc.bias", {0}}};
  const graph::Head linear{
      .kind = graph::HeadKind::linear, .fc_weight = "fc.weight", .fc_bias = "fc.bias"};
  try {
    graph::HeadRunner(linear, a.lookup(), 2);
    FAIL() << "a classifier of 3 weights for 2 channels and 1 class was taken";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("fc.weight"), std::string::npos) << e.what();
  }
  EXPECT_THROW(graph::HeadRunner(linear, a.lookup(), 3).run(std::vector<float>(4), {1, 2, 1, 2}),
               ModelError);
}

}  // namespace
}  // namespace chorus
