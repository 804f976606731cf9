// The registry builds every architecture for any input planes and class count, and refuses
// unknown names and impossible configurations; pretrained 3-channel weights fit 1-channel models.

#include "models/model_registry.hpp"

#include <gtest/gtest.h>
#include <torch/types.h>

#include "models/efficientnet.hpp"
#include "models/pretrained_weights.hpp"
#include "models/safetensors.hpp"
#include "models/state_dict.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

using models::ModelConfig;

TEST(ModelRegistry, EveryModelMapsASpectrogramBatchToLogits) {
  torch::NoGradGuard no_grad;
  for (const std::string& arch : models::model_names()) {
    const ModelConfig config{.arch = arch, .in_channels = 1, .num_classes = 5, .dropout = 0.1};
    torch::nn::AnyModule model = models::create_model(config);
    model.ptr()->eval();
    const torch::Tensor logits = model.forward(torch::randn({2, 1, 64, 96}));
    EXPECT_EQ(logits.sizes(), (torch::IntArrayRef{2, 5})) << arch;
  }
}

TEST(ModelRegistry, UnknownNamesAndBadConfigsAreRefused) {
  const std::string known =
      "resnet18, resnet34, efficientnet_b0, efficientnet_b1, efficientnet_b2, efficientnet_b3, "
      "regnet_y_800mf, regnet_y_1_6gf, regnety_008, regnety_016";
  EXPECT_EQ(testing::error_message([] { models::find_model("vgg16"); }),
            "unknown model architecture 'vgg16' (known: " + known + ")");
  EXPECT_EQ(testing::error_message([] { ModelConfig{.arch = "vgg16"}.validate(); }),
            "model.arch = 'vgg16': unknown (expected one of " + known + ")");
  EXPECT_EQ(testing::error_message([] { ModelConfig{.in_channels = 0}.validate(); }),
            "model.in_channels = 0: expected 1..64");
  EXPECT_EQ(testing::error_message([] { ModelConfig{.num_classes = 0}.validate(); }),
            "model.num_classes = 0: expected ≥ 1");
  EXPECT_EQ(testing::error_message([] { ModelConfig{.dropout = 1.0}.validate(); }),
            "model.dropout = 1: expected 0 ≤ dropout < 1, or -1 for the architecture's default");
  EXPECT_EQ(testing::error_message([] { ModelConfig{.stochastic_depth = -0.1}.validate(); }),
            "model.stochastic_depth = -0.1: expected 0 ≤ stochastic_depth < 1, or -1 for the "
            "architecture's default");
  ModelConfig config;
  core::ConfigFields fields("model");
  config.register_fields(fields);
  EXPECT_EQ(testing::error_message([&] { fields.set("head", "mlp", "--set"); }),
            "--set: model.head = 'mlp' is not one of: linear, gem, sed");
  EXPECT_EQ(testing::error_message([] { ModelConfig{.gem_p = 0.5}.validate(); }),
            "model.gem_p = 0.5: expected 1..100");
}

TEST(ModelRegistry, AliasesResolveToTheSameEntry) {
  EXPECT_EQ(&models::find_model("regnety_008"), &models::find_model("regnet_y_800mf"));
  EXPECT_EQ(&models::find_model("regnety_016"), &models::find_model("regnet_y_1_6gf"));
  const ModelConfig alias{.arch = "regnety_016", .num_classes = 3};
  const ModelConfig name{.arch = "regnet_y_1_6gf", .num_classes = 3};
  const models::TensorMap a = models::state_dict(*models::create_backbone(alias));
  const models::TensorMap b = models::state_dict(*models::create_backbone(name));
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [key, tensor] : a) EXPECT_EQ(tensor.sizes(), b.at(key).sizes()) << key;
}

TEST(ModelRegistry, DropoutDefaultsFollowTorchvision) {
  EXPECT_DOUBLE_EQ(ModelConfig{.arch = "efficientnet_b0"}.resolved_dropout(), 0.2);
  EXPECT_DOUBLE_EQ(ModelConfig{.arch = "efficientnet_b1"}.resolved_dropout(), 0.2);
  EXPECT_DOUBLE_EQ(ModelConfig{.arch = "efficientnet_b2"}.resolved_dropout(), 0.3);
  EXPECT_DOUBLE_EQ(ModelConfig{.arch = "efficientnet_b3"}.resolved_dropout(), 0.3);
  EXPECT_DOUBLE_EQ(ModelConfig{.arch = "resnet18"}.resolved_dropout(), 0.2);
  EXPECT_DOUBLE_EQ((ModelConfig{.arch = "efficientnet_b3", .dropout = 0.1}.resolved_dropout()),
                   0.1);
}

TEST(ModelRegistry, MakeDivisibleRoundsAsTorchvision) {
  // torchvision's _make_divisible(v, 8) for B2's and B3's widths (v = channels · width_mult).
  EXPECT_EQ(models::make_divisible(40 * 1.1, 8), 48);
  EXPECT_EQ(models::make_divisible(80 * 1.1, 8), 88);
  EXPECT_EQ(models::make_divisible(16 * 1.2, 8), 24);
  EXPECT_EQ(models::make_divisible(112 * 1.2, 8), 136);
  EXPECT_EQ(models::make_divisible(3, 8), 8);    // never below the divisor
  EXPECT_EQ(models::make_divisible(92, 8), 96);  // halves round up
}

TEST(PretrainedWeights, OneChannelSumsRgbAndOtherCountsRepeatAndRescale) {
  const torch::Tensor rgb = torch::arange(2 * 3 * 1 * 1, torch::kFloat32).reshape({2, 3, 1, 1});
  EXPECT_TRUE(
      torch::equal(models::adapt_input_conv(rgb, 1).flatten(), torch::tensor({3.0f, 12.0f})));
  const torch::Tensor four = models::adapt_input_conv(rgb, 4);
  EXPECT_EQ(four.sizes(), (torch::IntArrayRef{2, 4, 1, 1}));
  EXPECT_TRUE(torch::allclose(four[0].flatten(), torch::tensor({0.0f, 1.0f, 2.0f, 0.0f}) * 0.75f));
  EXPECT_TRUE(torch::equal(models::adapt_input_conv(rgb, 3), rgb));
}

TEST(PretrainedWeights, ImageNetShapedWeightsLoadIntoAOneChannelModelWithOtherClasses) {
  const ModelConfig imagenet{.arch = "resnet18", .in_channels = 3, .num_classes = 1000};
  const ModelConfig birds{.arch = "resnet18", .in_channels = 1, .num_classes = 7};
  torch::nn::AnyModule source = models::create_model(imagenet);
  torch::nn::AnyModule target = models::create_model(birds);
  const models::TensorMap weights = models::state_dict(*source.ptr());
  const models::StateDictReport report = models::load_pretrained(*target.ptr(), birds, weights);
  EXPECT_TRUE(report.unexpected.empty());
  EXPECT_EQ(report.replaced, (std::vector<std::string>{"fc.bias", "fc.weight"}));
  const models::TensorMap loaded = models::state_dict(*target.ptr());
  EXPECT_TRUE(torch::allclose(loaded.at("conv1.weight"), weights.at("conv1.weight").sum(1, true)));
  EXPECT_TRUE(
      torch::equal(loaded.at("layer4.1.bn2.running_var"), weights.at("layer4.1.bn2.running_var")));
}

TEST(PretrainedWeights, ASavedModelReloadsThroughTheFileToTheSameLogits) {
  testing::TempDir dir;
  torch::NoGradGuard no_grad;
  const ModelConfig config{.arch = "efficientnet_b0", .in_channels = 1, .num_classes = 3};
  torch::nn::AnyModule saved = models::create_model(config);
  torch::nn::AnyModule loaded = models::create_model(config);
  models::write_safetensors(dir / "m.safetensors", models::state_dict(*saved.ptr()));
  const models::StateDictReport report = models::load_pretrained(
      *loaded.ptr(), config, models::read_safetensors(dir / "m.safetensors").tensors);
  EXPECT_TRUE(report.unexpected.empty());
  saved.ptr()->eval();
  loaded.ptr()->eval();
  const torch::Tensor x = torch::randn({1, 1, 64, 64});
  EXPECT_TRUE(torch::equal(saved.forward(x), loaded.forward(x)));
}

TEST(PretrainedWeights, AnotherArchitecturesWeightsAreRefusedWithTheKeysNamed) {
  const ModelConfig small{.arch = "resnet18", .num_classes = 3};
  const ModelConfig large{.arch = "resnet34", .num_classes = 3};
  torch::nn::AnyModule model = models::create_model(large);
  const std::string message = testing::error_message([&] {
    models::load_pretrained(*model.ptr(), large,
                            models::state_dict(*models::create_backbone(small)));
  });
  // resnet34 has 1 + 2 + 4 + 1 more BasicBlocks than resnet18, 12 tensors each.
  EXPECT_TRUE(message.starts_with("weights do not fit the model: 96 missing keys: ")) << message;
  EXPECT_NE(message.find(" and 92 more"), std::string::npos) << message;
}

TEST(ModelConfig, FieldsAreRegisteredForTheConfigFile) {
  ModelConfig config;
  core::ConfigFields fields("model");
  config.register_fields(fields);
  fields.set("arch", "resnet34", "--set");
  fields.set("num_classes", "12", "--set");
  EXPECT_EQ(config.arch, "resnet34");
  EXPECT_EQ(config.num_classes, 12);
  EXPECT_EQ(fields.find("arch")->choices, models::model_names_and_aliases());
}

}  // namespace
}  // namespace chorus
