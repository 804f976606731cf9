#pragma once
// A LibTorch network as the compiled model takes it (graph/compiled_model.hpp): its description
// for inference — the backbone's lowering recorded as a graph::Program and its head as a
// graph::Head, every array named by its state-dict name — and its arrays under those names.
// Checkpoints store the description beside the weights, so that a model can be compiled from the
// file alone, without LibTorch.

#include <map>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>

#include "graph/compiled_model.hpp"
#include "models/network.hpp"
#include "models/safetensors.hpp"

namespace chorus::models {

// A network's float32 parameters and buffers, or a checkpoint's state dict, by name and by
// address. A convolution bias that BatchNorm folding added to a network
// (runtime/inference_optimizer.hpp; not a registered parameter) is named `<convolution>.bias` too.
// The tensors must not change while this is in use; it holds them.
class NetworkTensors final : public graph::TensorSource {
 public:
  explicit NetworkTensors(std::shared_ptr<const NetworkImpl> network);
  // `source` names the file in messages.
  NetworkTensors(const TensorMap& state_dict, std::string source);
  std::span<const float> get(const std::string& name) const override;
  // The name of the array whose first element is at `data`; a ModelError when none is.
  std::string name_of(const float* data) const;

 private:
  void add(const std::string& name, const torch::Tensor& t);

  std::shared_ptr<const NetworkImpl> network_;  // null for a state dict
  std::string source_ = "the network";
  std::map<std::string, torch::Tensor> by_name_;
  std::unordered_map<const float*, std::string> by_address_;
};

// `network` (eval mode) described for inference, its arrays named by `tensors` (of the same
// network): a ModelError when an architecture cannot be lowered.
graph::NetworkDescription describe_for_inference(const NetworkImpl& network,
                                                 const NetworkTensors& tensors);

}  // namespace chorus::models
