#include "models/pretrained_weights.hpp"

#include <torch/types.h>

#include "core/error.hpp"
#include "models/model_registry.hpp"

namespace chorus::models {

torch::Tensor adapt_input_conv(const torch::Tensor& weight, int in_channels) {
  CHORUS_CHECK_AS(ModelError, weight.dim() == 4,
                  "input convolution weight has {} dimensions, expected 4", weight.dim());
  const std::int64_t have = weight.size(1);
  if (have == in_channels) return weight;
  if (in_channels == 1) return weight.sum(1, /*keepdim=*/true);
  const std::int64_t repeats = (in_channels + have - 1) / have;
  return weight.repeat({1, repeats, 1, 1})
      .narrow(1, 0, in_channels)
      .mul(static_cast<double>(have) / in_channels);
}

torch::Tensor adapt_input_conv(const torch::Tensor& weight, const ModelConfig& config) {
  CHORUS_CHECK_AS(ModelError, weight.dim() == 4,
                  "input convolution weight has {} dimensions, expected 4", weight.dim());
  if (weight.size(1) == config.backbone_in_channels()) return weight;
  const torch::Tensor adapted = adapt_input_conv(weight, config.in_channels);
  if (!config.coord_conv) return adapted;
  return torch::cat({adapted, torch::zeros_like(adapted.narrow(1, 0, 1))}, 1);
}

StateDictReport load_pretrained(torch::nn::Module& model, const ModelConfig& config,
                                TensorMap tensors) {
  const ModelEntry& entry = find_model(config.arch);
  const auto conv = tensors.find(entry.first_conv_weight);
  if (conv != tensors.end()) conv->second = adapt_input_conv(conv->second, config);

  // Another class count: keep the model's own classifier rather than fail on its shape.
  std::vector<std::string> replaced;
  for (const auto& [name, own] : state_dict(model)) {
    if (!name.starts_with(entry.classifier)) continue;
    const auto found = tensors.find(name);
    if (found == tensors.end() || found->second.sizes() == own.sizes()) continue;
    found->second = own.detach().clone();
    replaced.push_back(name);
  }
  StateDictReport report = load_state_dict(model, tensors);
  report.replaced = std::move(replaced);
  return report;
}

}  // namespace chorus::models
