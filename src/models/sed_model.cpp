#include "models/sed_model.hpp"

#include <torch/types.h>

#include "models/model_registry.hpp"

namespace chorus::models {

SedModelImpl::SedModelImpl(const ModelConfig& config)
    : backbone_(register_module("backbone", create_backbone(config))),
      head_(register_module(
          "head", SedHead(backbone_->num_features(), config.num_classes, config.dropout))) {}

SedOutput SedModelImpl::forward(const torch::Tensor& x) {
  return head_(backbone_->forward_features(x));
}

}  // namespace chorus::models
