#pragma once
// A registry backbone with the SED head on its feature map: the BirdCLEF sound-event-detection
// model. State-dict names: backbone.* (the torchvision names, its unused classifier included, so
// a chorus classifier checkpoint's backbone loads as it is) and head.* (SedHead).
//
// Input [N, in_channels, mels, frames]; output SedOutput (clip logits and probabilities [N, C],
// frame probabilities [N, frames/32, C]).

#include <memory>

#include "models/backbone.hpp"
#include "models/model_config.hpp"
#include "models/sed_head.hpp"

namespace chorus::models {

class SedModelImpl : public torch::nn::Module {
 public:
  // Builds config.arch as the backbone; the head has config.num_classes and config.dropout.
  explicit SedModelImpl(const ModelConfig& config);
  SedOutput forward(const torch::Tensor& x);

  // For loading pretrained weights into the backbone alone (load_pretrained).
  Backbone& backbone() { return *backbone_; }

 private:
  std::shared_ptr<Backbone> backbone_;
  SedHead head_{nullptr};
};
TORCH_MODULE(SedModel);

}  // namespace chorus::models
