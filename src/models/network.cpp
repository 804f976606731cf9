#include "models/network.hpp"

#include <fmt/ranges.h>
#include <torch/types.h>

#include "core/error.hpp"
#include "models/frequency_coordinate.hpp"
#include "models/model_registry.hpp"

namespace chorus::models {

NetworkImpl::NetworkImpl(const ModelConfig& config)
    : config_(config), backbone_(create_backbone(config)) {
  if (config.head == HeadKind::linear) {
    // No prefix: the backbone's children become the network's, so its state dict is the
    // torchvision one (a submodule would add "backbone." to every key, and LibTorch refuses an
    // empty submodule name).
    for (const auto& child : backbone_->named_children())
      register_module(child.key(), child.value());
    return;
  }
  register_module("backbone", backbone_);
  if (config.head == HeadKind::gem)
    gem_ = register_module("head", GemHead(backbone_->num_features(), config.num_classes,
                                           config.gem_p, config.resolved_dropout()));
  else
    sed_ = register_module(
        "head", SedHead(backbone_->num_features(), config.num_classes, config.resolved_dropout()));
}

void NetworkImpl::train(bool on) {
  torch::nn::Module::train(on);
  backbone_->train(on);
}

torch::Tensor NetworkImpl::backbone_input(const torch::Tensor& x) const {
  CHORUS_CHECK_AS(ModelError, x.dim() == 4 && x.size(1) == config_.in_channels,
                  "{}: expected input [N, {}, mels, frames], got {}", config_.arch,
                  config_.in_channels, fmt::join(x.sizes(), " x "));
  return config_.coord_conv ? add_frequency_coordinate(x) : x;
}

torch::Tensor NetworkImpl::forward(const torch::Tensor& x) { return forward_output(x).logits; }

NetworkOutput NetworkImpl::forward_output(const torch::Tensor& x) {
  return head_output(backbone_->forward_features(backbone_input(x)), x.size(3));
}

NetworkOutput NetworkImpl::head_output(const torch::Tensor& features, std::int64_t input_frames) {
  NetworkOutput out;
  if (gem_) {
    out.logits = gem_(features);
  } else if (sed_) {
    SedOutput sed = sed_(features);
    out.logits = std::move(sed.clip_logits);
    out.clip_probabilities = std::move(sed.clip_probabilities);
    out.frame_probabilities = std::move(sed.frame_probabilities);
    out.attention = std::move(sed.attention);
    out.input_frames = input_frames;
  } else {
    out.logits = backbone_->classify(features);
  }
  return out;
}

graph::Head NetworkImpl::inference_head(
    const std::function<std::string(const float*)>& name_of) const {
  const auto name = [&](const torch::Tensor& t) { return name_of(t.data_ptr<float>()); };
  graph::Head head;
  head.kind = config_.head;
  if (gem_) {
    head.fc_weight = name(gem_->fc().weight);
    head.fc_bias = name(gem_->fc().bias);
    head.p = name(gem_->p());
    head.gem_eps = GemHeadImpl::kEps;
  } else if (sed_) {
    head.fc1_weight = name(sed_->fc1().weight);
    head.fc1_bias = name(sed_->fc1().bias);
    head.att_weight = name(sed_->attention_block().att().weight);
    head.att_bias = name(sed_->attention_block().att().bias);
    head.cla_weight = name(sed_->attention_block().cla().weight);
    head.cla_bias = name(sed_->attention_block().cla().bias);
  } else {
    head.fc_weight = name(backbone_->classifier().weight);
    head.fc_bias = name(backbone_->classifier().bias);
  }
  return head;
}

std::shared_ptr<NetworkImpl> create_network(const ModelConfig& config) {
  return std::make_shared<NetworkImpl>(config);
}

}  // namespace chorus::models
