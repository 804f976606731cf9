#pragma once
// A torch::nn::Sequential that can sit inside another: LibTorch's Sequential::forward is a
// template, so AnyModule cannot hold it; this one fixes the signature to Tensor → Tensor (the
// workaround LibTorch's own error message points to). Children are named "0", "1", … as in
// PyTorch's nn.Sequential, which keeps torchvision's state-dict keys.

#include <torch/nn/modules/container/sequential.h>

#include <string>

namespace chorus::models {

class LayersImpl : public torch::nn::SequentialImpl {
 public:
  using SequentialImpl::SequentialImpl;
  torch::Tensor forward(torch::Tensor x) { return SequentialImpl::forward(std::move(x)); }

  // Appends `module` under `name` (nn.Module.add_module), for torchvision's named children
  // ("a", "se", "block1-0"); Sequential's variadic push_back would take (name, holder) as two
  // unnamed modules.
  template <typename M>
  void add(std::string name, const torch::nn::ModuleHolder<M>& module) {
    push_back(std::move(name), module.ptr());
  }
};
TORCH_MODULE(Layers);

}  // namespace chorus::models
