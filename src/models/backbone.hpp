#pragma once
// What every architecture in the registry is: a network that turns [N, in_channels, H, W] into a
// feature map [N, num_features, H', W'] and, with its own classifier (whose name each follows
// from torchvision: fc, classifier.1), into logits [N, num_classes]. Heads other than the
// classifier (SedHead) take the feature map.

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

#include "graph/graph_builder.hpp"

namespace chorus::models {

// What the registry's factories take from ModelConfig.
struct BackboneOptions {
  int in_channels = 3;     // input planes
  int num_classes = 1000;  // classifier outputs
  double dropout = 0.0;    // probability, before the classifier's linear layer
  // The last residual block's probability of skipping its branch in training (stochastic depth,
  // torchvision's stochastic_depth_prob; EfficientNet only, earlier blocks scale linearly).
  double stochastic_depth = 0.2;
};

class Backbone : public torch::nn::Module {
 public:
  // Logits [N, num_classes] through the architecture's own pooling, dropout and classifier.
  torch::Tensor forward(const torch::Tensor& x) { return classify(forward_features(x)); }
  // The last feature map, before pooling.
  virtual torch::Tensor forward_features(const torch::Tensor& x) = 0;
  // forward_features as inference-graph operations (models/lowering.hpp), for a network whose
  // norms optimize_for_inference has folded.
  virtual graph::GraphValue lower_features(graph::GraphBuilder& graph,
                                           graph::GraphValue x) const = 0;
  // Logits from the feature map: the architecture's own pooling, dropout and classifier.
  virtual torch::Tensor classify(const torch::Tensor& features) = 0;
  // Channels of the feature map.
  virtual int num_features() const = 0;
  // The linear layer of classify() (after its pooling and dropout).
  virtual const torch::nn::LinearImpl& classifier() const = 0;
};

}  // namespace chorus::models
