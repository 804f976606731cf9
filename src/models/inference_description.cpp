#include "models/inference_description.hpp"

#include <torch/nn/modules/conv.h>
#include <torch/types.h>

#include "core/error.hpp"

namespace chorus::models {

void NetworkTensors::add(const std::string& name, const torch::Tensor& t) {
  // Only what a graph can read in place (integer counters such as num_batches_tracked are not).
  if (!t.defined() || t.scalar_type() != torch::kFloat32 || !t.is_contiguous()) return;
  by_name_.emplace(name, t);
  by_address_.emplace(t.data_ptr<float>(), name);
}

NetworkTensors::NetworkTensors(const TensorMap& state_dict, std::string source)
    : source_(std::move(source)) {
  for (const auto& [name, tensor] : state_dict) add(name, tensor);
}

NetworkTensors::NetworkTensors(std::shared_ptr<const NetworkImpl> network)
    : network_(std::move(network)) {
  for (const auto& item : network_->named_modules()) {
    const std::string prefix = item.key().empty() ? "" : item.key() + ".";
    const torch::nn::Module& module = *item.value();
    for (const auto& p : module.named_parameters(/*recurse=*/false))
      add(prefix + p.key(), p.value());
    for (const auto& b : module.named_buffers(/*recurse=*/false)) add(prefix + b.key(), b.value());
    if (const auto* conv = dynamic_cast<const torch::nn::Conv2dImpl*>(&module))
      if (!by_name_.contains(prefix + "bias")) add(prefix + "bias", conv->bias);
  }
}

std::span<const float> NetworkTensors::get(const std::string& name) const {
  const auto it = by_name_.find(name);
  CHORUS_CHECK_AS(ModelError, it != by_name_.end(), "{} has no float32 weight '{}'", source_, name);
  return {it->second.data_ptr<float>(), static_cast<std::size_t>(it->second.numel())};
}

std::string NetworkTensors::name_of(const float* data) const {
  const auto it = by_address_.find(data);
  CHORUS_CHECK_AS(ModelError, it != by_address_.end(),
                  "cannot describe the network for inference: an array that is none of its "
                  "parameters");
  return it->second;
}

graph::NetworkDescription describe_for_inference(const NetworkImpl& network,
                                                 const NetworkTensors& tensors) {
  CHORUS_CHECK_AS(ModelError, !network.is_training(),
                  "compiled network: the network must be in eval mode");
  const auto name_of = [&](const float* data) { return tensors.name_of(data); };
  graph::ProgramRecorder recorder(name_of);
  graph::NetworkDescription d;
  d.in_channels = network.config().in_channels;
  d.frequency_coordinate = network.config().coord_conv;
  d.backbone = recorder.finish(network.backbone().lower_features(recorder, recorder.input()));
  d.head = network.inference_head(name_of);
  return d;
}

}  // namespace chorus::models
