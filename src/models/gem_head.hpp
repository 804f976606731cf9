#pragma once
// Generalised-mean pooling head (GeM, Radenović et al. 2018, as timm's and the BirdCLEF/RFCX
// Kaggle notebooks write it): pooled = (mean_{h,w} max(x, eps)^p)^(1/p) per channel, with a
// learnable exponent p (p = 1 is average pooling; p → ∞ approaches max pooling, which suits
// short calls in a long window), then dropout and a linear classifier.
// State-dict names: p [1], fc.weight [classes, in_features], fc.bias [classes]
// (under a Network: head.p, head.fc.*).
//
// Input: a backbone's feature map [N, in_features, H', W']; output logits [N, classes].

#include <torch/nn/module.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

namespace chorus::models {

// GeM pooling over the last two dimensions: [N, C, H, W] → [N, C].
torch::Tensor gem_pool(const torch::Tensor& x, const torch::Tensor& p, double eps);

class GemHeadImpl : public torch::nn::Module {
 public:
  static constexpr double kEps = 1e-6;  // the clamp floor, keeping x^p finite for x ≤ 0

  GemHeadImpl(int in_features, int num_classes, double initial_p, double dropout);
  torch::Tensor forward(const torch::Tensor& features);
  const torch::Tensor& p() const { return p_; }
  const torch::nn::LinearImpl& fc() const { return *fc_; }

 private:
  torch::Tensor p_;
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Linear fc_{nullptr};
};
TORCH_MODULE(GemHead);

}  // namespace chorus::models
