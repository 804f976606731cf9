// The SED attention head against the Kaggle TimmSED / PANNs AttBlockV2 code
// (tests/oracles/sed_head_oracle.py): same weights, same features, same clip and frame outputs.

#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/types.h>

#include "models/npy_tensor.hpp"
#include "models/safetensors.hpp"
#include "models/sed_head.hpp"
#include "models/state_dict.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

TEST(SedHeadOracle, MatchesTheTimmSedReference) {
  at::set_num_threads(1);
  testing::TempDir dir;
  testing::run_oracle("sed_head_oracle.py", {dir.path().string()});
  models::SedHead head(64, 7, 0.5);
  const models::StateDictReport report =
      models::load_state_dict(*head, models::read_safetensors(dir / "weights.safetensors").tensors);
  EXPECT_TRUE(report.unexpected.empty()) << report.describe();
  head->eval();
  torch::NoGradGuard no_grad;
  const models::SedOutput out = head(testing::load_npy_tensor(dir / "features.npy"));

  EXPECT_EQ(out.frame_probabilities.sizes(), (torch::IntArrayRef{2, 20, 7}));
  EXPECT_TRUE(torch::allclose(out.attention.sum(2), torch::ones({2, 7})));
  const double logits =
      testing::max_abs_diff(out.clip_logits, testing::load_npy_tensor(dir / "clip_logits.npy"));
  const double clip = testing::max_abs_diff(
      out.clip_probabilities, testing::load_npy_tensor(dir / "clip_probabilities.npy"));
  const double frames = testing::max_abs_diff(
      out.frame_probabilities, testing::load_npy_tensor(dir / "frame_probabilities.npy"));
  EXPECT_LE(logits, 1e-5);
  EXPECT_LE(clip, 1e-6);
  EXPECT_LE(frames, 1e-6);
  std::printf("SED head: max |Δ| clip logits %.2e, clip probabilities %.2e, frames %.2e\n", logits,
              clip, frames);
}

}  // namespace
}  // namespace chorus
