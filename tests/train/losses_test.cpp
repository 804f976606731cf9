// Loss invariants the definitions imply (the values themselves are checked against PyTorch in
// losses_oracle_test), and bad inputs named.

#include "train/losses.hpp"

#include <gtest/gtest.h>
#include <torch/types.h>

#include "support/test_support.hpp"

namespace chorus {
namespace {

train::TrainConfig config_for(const std::string& loss) {
  train::TrainConfig c;
  c.loss = core::enum_from_name<train::LossKind>(loss).value();
  return c;
}

torch::Tensor evaluate(const std::string& loss, const train::LossInputs& in,
                       torch::Tensor class_weights = {}) {
  return (*train::make_loss(config_for(loss), std::move(class_weights)))(in);
}

train::LossInputs random_inputs() {
  torch::manual_seed(1);
  train::LossInputs in;
  in.logits = torch::randn({4, 6});
  in.targets = (torch::rand({4, 6}) > 0.6).to(torch::kFloat32);
  return in;
}

TEST(Losses, EveryConfiguredNameMakesItsLoss) {
  for (const std::string& name : core::enum_names<train::LossKind>())
    EXPECT_EQ(train::make_loss(config_for(name), {})->name(), name);
  train::TrainConfig c;
  core::ConfigFields fields("train");
  c.register_fields(fields);
  EXPECT_THROW(fields.set("loss", "hinge", "--set"), ConfigError);
}

TEST(Losses, AnAllOnesMaskScoresAsNoMask) {
  train::LossInputs in = random_inputs();
  for (const std::string name : {"ce", "bce", "focal", "masked_bce", "lsoft", "lsep"}) {
    const torch::Tensor plain = evaluate(name, in);
    train::LossInputs masked = in;
    masked.mask = torch::ones_like(in.logits);
    EXPECT_NEAR(evaluate(name, masked).item<double>(), plain.item<double>(), 1e-6) << name;
  }
}

TEST(Losses, SpecialCasesReduceToPlainBce) {
  train::LossInputs in = random_inputs();
  const double bce = evaluate("bce", in).item<double>();
  train::TrainConfig focal = config_for("focal");
  focal.focal_gamma = 0;
  focal.focal_alpha = -1;
  EXPECT_NEAR((*train::make_loss(focal, {}))(in).item<double>(), bce, 1e-6);
  train::TrainConfig lsoft = config_for("lsoft");
  lsoft.lsoft_beta = 1.0;  // unlabelled cells keep their label
  in.mask = torch::zeros_like(in.logits);
  EXPECT_NEAR((*train::make_loss(lsoft, {}))(in).item<double>(), bce, 1e-6);
}

TEST(Losses, MaskedBceAveragesOnlyTheCellsItKeeps) {
  train::LossInputs in = random_inputs();
  in.mask = torch::zeros_like(in.logits);
  in.mask.index_put_({0, 0}, 1.0);
  const double expected =
      torch::binary_cross_entropy_with_logits(in.logits[0][0], in.targets[0][0]).item<double>();
  EXPECT_NEAR(evaluate("masked_bce", in).item<double>(), expected, 1e-6);
  // Nothing kept: nothing to learn, and no NaN.
  in.mask.zero_();
  in.logits.requires_grad_(true);
  const torch::Tensor nothing = evaluate("masked_bce", in);
  nothing.backward();
  EXPECT_EQ(nothing.item<double>(), 0.0);
  EXPECT_TRUE(torch::equal(in.logits.grad(), torch::zeros_like(in.logits)));
}

TEST(Losses, CrossEntropyIgnoresTheScaleOfTargetsAndEmptyRows) {
  train::LossInputs in = random_inputs();
  in.targets = torch::zeros_like(in.logits);
  in.targets.index_put_({0, 2}, 1.0);
  const double one = evaluate("ce", in).item<double>();
  in.targets.index_put_({0, 2}, 0.4);  // normalised per row: the same distribution
  EXPECT_NEAR(evaluate("ce", in).item<double>(), one, 1e-6);
  const double row0 = -torch::log_softmax(in.logits[0], 0)[2].item<double>();
  EXPECT_NEAR(one, row0 / 4, 1e-6);  // rows 1–3 have no target and add 0; the mean is over 4 rows
}

TEST(Losses, LsepIsZeroWithGradientZeroWithoutPairs) {
  train::LossInputs in = random_inputs();
  in.targets = torch::zeros_like(in.logits);  // no positives
  in.logits.requires_grad_(true);
  const torch::Tensor loss = evaluate("lsep", in);
  loss.backward();
  EXPECT_EQ(loss.item<double>(), 0.0);
  EXPECT_TRUE(torch::equal(in.logits.grad(), torch::zeros_like(in.logits)));
}

TEST(Losses, ConfidentCorrectPredictionsCostAlmostNothing) {
  train::LossInputs in = random_inputs();
  in.targets = torch::eye(6).index({torch::indexing::Slice(0, 4)});
  in.logits = (in.targets * 2 - 1) * 30;
  for (const std::string name : {"ce", "bce", "focal", "masked_bce", "lsoft", "lsep"})
    EXPECT_LT(evaluate(name, in).item<double>(), 1e-6) << name;
  in.clip_probabilities = in.targets * 0.999998 + 1e-6;
  in.frame_probabilities = in.clip_probabilities.unsqueeze(1).expand({4, 3, 6});
  EXPECT_LT(evaluate("sed", in).item<double>(), 1e-5);
}

TEST(Losses, BadInputsAreNamed) {
  train::LossInputs in = random_inputs();
  train::LossInputs wrong_targets = in;
  wrong_targets.targets = torch::zeros({4, 5});
  EXPECT_EQ(testing::error_message([&] { evaluate("bce", wrong_targets); }),
            "bce loss: targets [4, 5] do not match logits [4, 6]");
  train::LossInputs out_of_range = in;
  out_of_range.targets = in.targets * 2;
  EXPECT_EQ(testing::error_message([&] { evaluate("focal", out_of_range); }),
            "focal loss: targets must lie in [0, 1] (found 0 to 2)");
  train::LossInputs wrong_weights = in;
  wrong_weights.sample_weights = torch::ones({3});
  EXPECT_EQ(testing::error_message([&] { evaluate("ce", wrong_weights); }),
            "ce loss: sample_weights [3] must be [N] with N = 4");
  EXPECT_EQ(testing::error_message([&] { evaluate("lsep", in, torch::ones({5})); }),
            "lsep loss: 5 class weights for 6 classes");
  EXPECT_EQ(testing::error_message([&] { evaluate("bce", in, -torch::ones({6})); }),
            "class weights must be finite and ≥ 0");
  EXPECT_EQ(testing::error_message([&] { evaluate("sed", in); }),
            "sed loss: clip_probabilities must be [N, C] with N, C ≥ 1 (got none)");
  train::LossInputs empty;
  empty.logits = torch::zeros({0, 6});
  empty.targets = torch::zeros({0, 6});
  EXPECT_EQ(testing::error_message([&] { evaluate("bce", empty); }),
            "bce loss: logits must be [N, C] with N, C ≥ 1 (got [0, 6])");
  in.clip_probabilities = torch::sigmoid(in.logits);
  in.frame_probabilities = torch::rand({4, 6, 3});
  EXPECT_EQ(testing::error_message([&] { evaluate("sed", in); }),
            "sed loss: frame_probabilities must be [N, T, C] = [4, T ≥ 1, 6] (got [4, 6, 3])");
}

}  // namespace
}  // namespace chorus
