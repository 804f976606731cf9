#pragma once
// The model every [model] configuration builds: a registry backbone, the head model.head names,
// and with model.coord_conv a frequency-coordinate input plane. Training, checkpoints and
// prediction all hold this type.
//
//   head = "linear"  the architecture's own pooling, dropout and classifier. State-dict names are
//                    the backbone's own, torchvision's exactly (conv1.weight, features.0.0.weight,
//                    classifier.1.bias …), so torchvision files load unchanged.
//   head = "gem"     backbone.* (torchvision names; its own classifier stays, unused, so a linear
//                    checkpoint's backbone loads as it is) + head.p, head.fc.{weight,bias}
//                    (GemHead).
//   head = "sed"     backbone.* + head.fc1.*, head.att_block.{att,cla}.* (SedHead).
//
// Input [N, in_channels, mels, frames]; logits [N, num_classes]; SED frame probabilities
// [N, T', num_classes] with T' = the feature map's time steps (frames / 32, rounded up).

#include <torch/nn/module.h>

#include <functional>
#include <memory>
#include <string>

#include "models/backbone.hpp"
#include "models/gem_head.hpp"
#include "models/model_config.hpp"
#include "models/sed_head.hpp"

namespace chorus::models {

struct NetworkOutput {
  torch::Tensor logits;               // [N, C]; SED: the clip logits (for BCE)
  torch::Tensor clip_probabilities;   // SED only: [N, C] (undefined otherwise)
  torch::Tensor frame_probabilities;  // SED only: [N, T', C]
  torch::Tensor attention;            // SED only: [N, C, T'], sums to 1 over time
  // SED only: input frames the T' output frames span together (the input's width), so output
  // frame t covers input frames [t·input_frames/T', (t+1)·input_frames/T'). 0 otherwise.
  std::int64_t input_frames = 0;
};

class NetworkImpl : public torch::nn::Module {
 public:
  // Builds config (validated) freshly initialised, in training mode.
  explicit NetworkImpl(const ModelConfig& config);
  torch::Tensor forward(const torch::Tensor& x);         // logits
  NetworkOutput forward_output(const torch::Tensor& x);  // everything the head gives
  // The two halves of forward_output, for a backbone run elsewhere (CompiledNetwork):
  // the backbone's input ([N, in_channels, mels, frames] with the coordinate plane added when
  // model.coord_conv), and the head's output from the backbone's feature map.
  torch::Tensor backbone_input(const torch::Tensor& x) const;
  NetworkOutput head_output(const torch::Tensor& features, std::int64_t input_frames);
  bool is_sed() const { return static_cast<bool>(sed_); }
  // The head as a compiled model runs it (graph/head.hpp), its arrays named by `name_of` (an
  // array's first element → its state-dict name).
  graph::Head inference_head(const std::function<std::string(const float*)>& name_of) const;
  const ModelConfig& config() const { return config_; }
  // The architecture alone, for load_pretrained (its first convolution has
  // config().backbone_in_channels() inputs).
  Backbone& backbone() { return *backbone_; }
  const Backbone& backbone() const { return *backbone_; }

  // The linear head's network registers the backbone's children as its own (see the .cpp), so
  // the backbone object itself must be told the mode too.
  void train(bool on = true) override;

 private:
  ModelConfig config_;
  std::shared_ptr<Backbone> backbone_;
  GemHead gem_{nullptr};  // head = "gem"
  SedHead sed_{nullptr};  // head = "sed"
};
TORCH_MODULE(Network);

// A fresh network for `config` in training mode (ConfigError when the config is invalid).
std::shared_ptr<NetworkImpl> create_network(const ModelConfig& config);

}  // namespace chorus::models
