#pragma once
// torch::nn::BatchNorm2d that inference optimisation can switch off once its affine map has been
// folded into the convolution before it (runtime/inference_optimizer): its forward then returns
// the input untouched, so a folded norm costs nothing. BatchNorm2dImpl::forward is not virtual
// and a norm held as a member (ResNet's bn1) cannot be replaced in its parent, so the switch has
// to live in the norm itself. Same parameters, buffers and state-dict names as BatchNorm2d.

#include <torch/nn/modules/batchnorm.h>

namespace chorus::models {

class FoldableBatchNorm2dImpl : public torch::nn::BatchNorm2dImpl {
 public:
  using BatchNorm2dImpl::BatchNorm2dImpl;

  torch::Tensor forward(const torch::Tensor& x);

  // After this the norm is the identity; its statistics now live in the convolution's weights,
  // so it must not train any more (forward in training mode is a ModelError).
  void mark_folded() { folded_ = true; }
  bool folded() const { return folded_; }

 private:
  bool folded_ = false;
};
TORCH_MODULE(FoldableBatchNorm2d);

}  // namespace chorus::models
