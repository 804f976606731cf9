// Network: every head on a backbone, its state-dict names (torchvision's for the linear head,
// backbone.* + head.* otherwise), the frequency-coordinate plane, pretrained weights, the
// training/eval switch, checkpoints that round-trip each head and refuse non-finite weights.

#include "models/network.hpp"

#include <gtest/gtest.h>
#include <torch/types.h>

#include <limits>
#include <string>

#include "models/checkpoint.hpp"
#include "models/frequency_coordinate.hpp"
#include "models/model_registry.hpp"
#include "models/pretrained_weights.hpp"
#include "models/state_dict.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

using models::ModelConfig;

std::vector<std::string> keys(const models::TensorMap& map) {
  std::vector<std::string> out;
  for (const auto& [key, tensor] : map) out.push_back(key);
  return out;
}

TEST(Network, TheLinearHeadKeepsTheTorchvisionStateDict) {
  const ModelConfig config{.arch = "efficientnet_b0", .num_classes = 5};
  const auto network = models::create_network(config);
  EXPECT_FALSE(network->is_sed());
  EXPECT_EQ(keys(models::state_dict(*network)),
            keys(models::state_dict(*models::create_backbone(config))));
  EXPECT_TRUE(models::state_dict(*network).contains("classifier.1.weight"));
}

TEST(Network, GemAndSedHeadsPrefixBackboneAndHead) {
  torch::NoGradGuard no_grad;
  const ModelConfig gem{
      .arch = "resnet18", .num_classes = 4, .head = models::HeadKind::gem, .gem_p = 2.0};
  const auto gem_network = models::create_network(gem);
  const models::TensorMap gem_state = models::state_dict(*gem_network);
  EXPECT_TRUE(gem_state.contains("backbone.conv1.weight"));
  EXPECT_EQ(gem_state.at("head.p").item<float>(), 2.0f);
  EXPECT_EQ(gem_state.at("head.fc.weight").sizes(), (torch::IntArrayRef{4, 512}));
  gem_network->eval();
  const models::NetworkOutput gem_out = gem_network->forward_output(torch::randn({2, 1, 64, 96}));
  EXPECT_EQ(gem_out.logits.sizes(), (torch::IntArrayRef{2, 4}));
  EXPECT_FALSE(gem_out.frame_probabilities.defined());

  const ModelConfig sed{.arch = "resnet18", .num_classes = 4, .head = models::HeadKind::sed};
  const auto sed_network = models::create_network(sed);
  EXPECT_TRUE(sed_network->is_sed());
  EXPECT_TRUE(models::state_dict(*sed_network).contains("head.att_block.cla.weight"));
  sed_network->eval();
  const models::NetworkOutput out = sed_network->forward_output(torch::randn({2, 1, 64, 320}));
  EXPECT_EQ(out.logits.sizes(), (torch::IntArrayRef{2, 4}));
  EXPECT_EQ(out.clip_probabilities.sizes(), (torch::IntArrayRef{2, 4}));
  EXPECT_EQ(out.frame_probabilities.sizes(), (torch::IntArrayRef{2, 10, 4}));
  EXPECT_EQ(out.input_frames, 320);
  EXPECT_TRUE(torch::allclose(out.attention.sum(2), torch::ones({2, 4})));
}

TEST(Network, PretrainedBackboneWeightsLoadUnderEveryHead) {
  const ModelConfig imagenet{.arch = "resnet18", .in_channels = 3, .num_classes = 1000};
  const models::TensorMap weights = models::state_dict(*models::create_backbone(imagenet));
  for (const models::HeadKind head :
       {models::HeadKind::linear, models::HeadKind::gem, models::HeadKind::sed}) {
    const ModelConfig config{.arch = "resnet18", .in_channels = 1, .num_classes = 4, .head = head};
    const auto network = models::create_network(config);
    models::load_pretrained(network->backbone(), config, weights);
    const std::string prefix = head == models::HeadKind::linear ? "" : "backbone.";
    EXPECT_TRUE(torch::allclose(models::state_dict(*network).at(prefix + "conv1.weight"),
                                weights.at("conv1.weight").sum(1, true)))
        << core::enum_name(head);
  }
}

TEST(FrequencyCoordinate, LinearFromMinusOneAtTheLowestMelToOneAtTheHighest) {
  const torch::Tensor x = torch::randn({2, 1, 5, 3});
  const torch::Tensor y = models::add_frequency_coordinate(x);
  EXPECT_EQ(y.sizes(), (torch::IntArrayRef{2, 2, 5, 3}));
  EXPECT_TRUE(torch::equal(y.narrow(1, 0, 1), x));
  const torch::Tensor expected =
      torch::tensor({-1.0f, -0.5f, 0.0f, 0.5f, 1.0f}).view({1, 1, 5, 1}).expand({2, 1, 5, 3});
  EXPECT_TRUE(torch::allclose(y.narrow(1, 1, 1), expected));
  EXPECT_TRUE(torch::equal(models::add_frequency_coordinate(torch::ones({1, 1, 1, 4})),
                           torch::cat({torch::ones({1, 1, 1, 4}), torch::zeros({1, 1, 1, 4})}, 1)));
}

TEST(FrequencyCoordinate, TheStemSeesOneMorePlaneWhichPretrainedWeightsStartAtZero) {
  torch::NoGradGuard no_grad;
  torch::manual_seed(1);
  const ModelConfig plain{.arch = "resnet18", .in_channels = 1, .num_classes = 3};
  ModelConfig coord = plain;
  coord.coord_conv = true;
  const auto plain_network = models::create_network(plain);
  const auto coord_network = models::create_network(coord);
  EXPECT_EQ(models::state_dict(*coord_network).at("conv1.weight").size(1), 2);

  // The same 3-channel weights in both: with the coordinate plane's weights at zero the
  // networks agree, and the coordinate network's input is checked against in_channels, not + 1.
  const models::TensorMap rgb = models::state_dict(
      *models::create_backbone({.arch = "resnet18", .in_channels = 3, .num_classes = 3}));
  models::load_pretrained(plain_network->backbone(), plain, rgb);
  models::load_pretrained(coord_network->backbone(), coord, rgb);
  const torch::Tensor stem = models::state_dict(*coord_network).at("conv1.weight");
  EXPECT_TRUE(torch::equal(stem.narrow(1, 1, 1), torch::zeros_like(stem.narrow(1, 1, 1))));
  plain_network->eval();
  coord_network->eval();
  const torch::Tensor x = torch::randn({2, 1, 64, 96});
  EXPECT_TRUE(torch::allclose(plain_network->forward(x), coord_network->forward(x), 1e-5, 1e-6));

  // Weights that use the plane change the output, and it depends on the mel row.
  models::state_dict(*coord_network).at("conv1.weight").narrow(1, 1, 1).fill_(0.5);
  EXPECT_FALSE(torch::allclose(plain_network->forward(x), coord_network->forward(x), 1e-3, 1e-3));
  EXPECT_EQ(testing::error_message([&] {
              coord_network->forward(torch::randn({1, 2, 64, 96}));
            }),
            "resnet18: expected input [N, 1, mels, frames], got 1 x 2 x 64 x 96");
}

TEST(Network, TrainAndEvalReachTheBackboneUnderTheLinearHead) {
  torch::manual_seed(0);
  const ModelConfig config{.arch = "efficientnet_b0", .num_classes = 3, .dropout = 0.5};
  const auto network = models::create_network(config);
  const torch::Tensor x = torch::randn({2, 1, 32, 64});
  network->eval();
  EXPECT_FALSE(network->backbone().is_training());
  torch::NoGradGuard no_grad;
  EXPECT_TRUE(torch::equal(network->forward(x), network->forward(x)));
  network->train();
  EXPECT_TRUE(network->backbone().is_training());
  EXPECT_FALSE(torch::equal(network->forward(x), network->forward(x)));
}

// Stochastic depth on ResNet and RegNet (EfficientNet has it from torchvision): branches dropped
// per sample in training only, none by default.
TEST(Network, StochasticDepthOnResNetAndRegNetOnlyInTraining) {
  EXPECT_EQ(ModelConfig{.arch = "resnet18"}.resolved_stochastic_depth(), 0.0);
  EXPECT_EQ(ModelConfig{.arch = "regnet_y_800mf"}.resolved_stochastic_depth(), 0.0);
  EXPECT_EQ(ModelConfig{.arch = "efficientnet_b0"}.resolved_stochastic_depth(), 0.2);
  torch::NoGradGuard no_grad;
  for (const char* arch : {"resnet18", "regnet_y_800mf"}) {
    const ModelConfig plain{
        .arch = arch, .num_classes = 4, .dropout = 0.0, .stochastic_depth = 0.0};
    ModelConfig dropping = plain;
    dropping.stochastic_depth = 0.5;
    torch::manual_seed(1);
    const auto a = models::create_network(plain);
    const auto b = models::create_network(dropping);
    models::load_state_dict(*b, models::state_dict(*a));
    const torch::Tensor x = torch::randn({8, 1, 32, 64});
    a->eval();
    b->eval();
    EXPECT_TRUE(torch::equal(a->forward(x), b->forward(x))) << arch;  // inference: no change
    // Training (batch statistics): without stochastic depth the output does not depend on the
    // random state; with it, it does.
    a->train();
    b->train();
    torch::manual_seed(2);
    const torch::Tensor a1 = a->forward(x), b1 = b->forward(x);
    torch::manual_seed(3);
    const torch::Tensor a2 = a->forward(x), b2 = b->forward(x);
    EXPECT_TRUE(torch::equal(a1, a2)) << arch;
    EXPECT_FALSE(torch::equal(b1, b2)) << arch;
  }
}

TEST(Network, CheckpointsRoundTripEveryHead) {
  testing::TempDir dir;
  torch::manual_seed(2);
  for (const models::HeadKind head :
       {models::HeadKind::linear, models::HeadKind::gem, models::HeadKind::sed}) {
    models::Checkpoint c;
    c.model = {.arch = "regnety_008", .num_classes = 2, .head = head, .coord_conv = true};
    c.classes = {"a", "b"};
    const auto trained = models::create_network(c.model);
    c.weights = models::state_dict(*trained);
    const std::string name(core::enum_name(head));
    c.write(dir / (name + ".ckpt"));
    const models::Checkpoint read = models::Checkpoint::read(dir / (name + ".ckpt"));
    EXPECT_EQ(read.model.head, head);
    EXPECT_TRUE(read.model.coord_conv);
    // The header alone gives all of it but the weights.
    const models::Checkpoint header =
        models::Checkpoint::read_without_weights(dir / (name + ".ckpt"));
    EXPECT_EQ(header.model.head, head);
    EXPECT_EQ(header.classes, read.classes);
    EXPECT_TRUE(header.weights.empty());
    const auto loaded = read.instantiate();
    EXPECT_FALSE(loaded->is_training());
    trained->eval();
    torch::NoGradGuard no_grad;
    const torch::Tensor x = torch::randn({1, 1, 64, 96});
    EXPECT_TRUE(torch::equal(trained->forward(x), loaded->forward(x))) << core::enum_name(head);
  }
}

// A diverged or damaged model is refused where it is read: each kind of non-finite value, at the
// start, in the middle and at the end of a weight (the check is a loop over the bits), and
// never the extreme finite values a trained model may hold.
TEST(Network, CheckpointsWithNonFiniteWeightsAreRefusedAndExtremeFiniteOnesRead) {
  testing::TempDir dir;
  torch::manual_seed(2);
  models::Checkpoint c;
  c.model = {.arch = "resnet18", .num_classes = 3};
  c.classes = {"a", "b", "c"};
  c.weights = models::state_dict(*models::create_network(c.model));
  const std::string weight = "layer4.1.conv2.weight";  // 589 824 values
  const std::int64_t size = c.weights.at(weight).numel();
  const auto with = [&](std::int64_t index, float value) {
    models::Checkpoint changed = c;
    changed.weights[weight] = c.weights.at(weight).clone();
    changed.weights[weight].view(-1)[index] = value;
    changed.write(dir / "changed.ckpt");
    return dir / "changed.ckpt";
  };
  using limits = std::numeric_limits<float>;
  for (const float bad : {limits::quiet_NaN(), -limits::quiet_NaN(), limits::signaling_NaN(),
                          limits::infinity(), -limits::infinity()})
    for (const std::int64_t index : {std::int64_t{0}, size / 2 + 3, size - 1}) {
      const auto path = with(index, bad);
      EXPECT_EQ(testing::error_message([&] { models::Checkpoint::read(path); }),
                path.string() + ": weight '" + weight +
                    "' holds NaN or infinite values (a diverged or damaged model)")
          << bad << " at " << index;
    }
  for (const float good :
       {limits::max(), -limits::max(), limits::denorm_min(), -limits::min(), -0.0f})
    EXPECT_EQ(models::Checkpoint::read(with(size - 1, good))
                  .weights.at(weight)
                  .view(-1)[size - 1]
                  .item<float>(),
              good);
}

}  // namespace
}  // namespace chorus
