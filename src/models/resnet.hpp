#pragma once
// ResNet-18/34 (He et al. 2016) with the structure and state-dict names of
// torchvision.models.resnet.ResNet with BasicBlock (torchvision 0.14), so torchvision weights
// load unchanged: conv1, bn1, layer1..layer4.{i}.{conv1,bn1,conv2,bn2,downsample.0,downsample.1},
// fc. BatchNorm eps 1e-5. chorus adds dropout before `fc` (no parameters; identity in eval).
//
// Input [N, in_channels, H, W] (a log-mel is [N, 1, mels, frames]); features [N, 512, H/32, W/32];
// output logits [N, num_classes].

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include <array>

#include "models/backbone.hpp"
#include "models/foldable_batch_norm.hpp"
#include "models/lowering.hpp"

namespace chorus::models {

// torchvision.models.resnet.BasicBlock: two 3×3 convolutions and a shortcut (1×1 conv + norm
// when the stride or width changes); in training the branch is dropped per sample with
// probability `stochastic_depth` (timm's drop_path; torchvision's ResNet has none).
class BasicBlockImpl : public torch::nn::Module, public LowerableModule {
 public:
  BasicBlockImpl(int in_channels, int channels, int stride, double stochastic_depth = 0.0);
  torch::Tensor forward(const torch::Tensor& x);
  GraphValue lower(GraphBuilder& graph, GraphValue x) const override;

 private:
  torch::nn::Conv2d conv1_{nullptr};
  FoldableBatchNorm2d bn1_{nullptr};
  torch::nn::Conv2d conv2_{nullptr};
  FoldableBatchNorm2d bn2_{nullptr};
  torch::nn::Sequential downsample_{nullptr};  // null for an identity shortcut
  double stochastic_depth_ = 0.0;
};
TORCH_MODULE(BasicBlock);

class ResNetImpl : public Backbone {
 public:
  // blocks_per_stage: {2, 2, 2, 2} for resnet18, {3, 4, 6, 3} for resnet34.
  ResNetImpl(std::array<int, 4> blocks_per_stage, const BackboneOptions& options);
  torch::Tensor forward_features(const torch::Tensor& x) override;
  GraphValue lower_features(GraphBuilder& graph, GraphValue x) const override;
  torch::Tensor classify(const torch::Tensor& features) override;
  int num_features() const override { return 512; }
  const torch::nn::LinearImpl& classifier() const override { return *fc_; }

 private:
  torch::nn::Conv2d conv1_{nullptr};
  FoldableBatchNorm2d bn1_{nullptr};
  std::array<torch::nn::Sequential, 4> stages_;
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Linear fc_{nullptr};
};
TORCH_MODULE(ResNet);

}  // namespace chorus::models
