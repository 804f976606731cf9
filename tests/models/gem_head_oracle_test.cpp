// The GeM head against its definition computed in PyTorch (tests/oracles/gem_head_oracle.py):
// same weights and learned p, same features (negative values and zeros included, so the clamp
// matters), same logits, and the same gradients for the features and for p.

#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/types.h>

#include "models/gem_head.hpp"
#include "models/npy_tensor.hpp"
#include "models/safetensors.hpp"
#include "models/state_dict.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

TEST(GemHeadOracle, MatchesTheDefinitionAndItsGradients) {
  at::set_num_threads(1);
  testing::TempDir dir;
  testing::run_oracle("gem_head_oracle.py", {dir.path().string()});
  models::GemHead head(16, 7, 3.0, 0.3);
  const models::StateDictReport report =
      models::load_state_dict(*head, models::read_safetensors(dir / "weights.safetensors").tensors);
  EXPECT_TRUE(report.unexpected.empty()) << report.describe();
  EXPECT_FLOAT_EQ(head->p().item<float>(), 2.5f);
  head->eval();

  const torch::Tensor features =
      testing::load_npy_tensor(dir / "features.npy").requires_grad_(true);
  const torch::Tensor logits = head(features);
  (logits * testing::load_npy_tensor(dir / "w.npy")).sum().backward();
  const double out = testing::max_abs_diff(logits, testing::load_npy_tensor(dir / "logits.npy"));
  const double grad =
      testing::max_abs_diff(features.grad(), testing::load_npy_tensor(dir / "features_grad.npy"));
  const double p_grad =
      testing::max_abs_diff(head->p().grad(), testing::load_npy_tensor(dir / "p_grad.npy"));
  EXPECT_LE(out, 1e-5);
  EXPECT_LE(grad, 1e-5);
  EXPECT_LE(p_grad, 1e-5);
  std::printf("GeM head: max |Δ| logits %.2e, d/dfeatures %.2e, d/dp %.2e\n", out, grad, p_grad);
}

}  // namespace
}  // namespace chorus
