#pragma once
// Pretrained (ImageNet, 3-channel) weights for a model whose input has another number of planes:
// a log-mel has one.

#include <torch/nn/module.h>

#include "models/model_config.hpp"
#include "models/state_dict.hpp"

namespace chorus::models {

// timm's adapt_input_conv (timm/models/_manipulate.py): a [O, 3, k, k] weight becomes
// [O, in_channels, k, k]. One channel sums over RGB, so a grey image x gives the response the
// RGB model gives to (x, x, x); other counts repeat RGB cyclically and scale by 3/in_channels.
torch::Tensor adapt_input_conv(const torch::Tensor& weight, int in_channels);

// The first convolution's weight for a model of `config` from a file's: as it is when it already
// has config.backbone_in_channels() planes; else adapted to config.in_channels, and with
// coord_conv a zero plane appended for the frequency coordinate, so the pretrained network
// starts out answering exactly as it would without it (the plane's weights still get gradients).
torch::Tensor adapt_input_conv(const torch::Tensor& weight, const ModelConfig& config);

// Loads `tensors` (a torchvision state dict) into `model` — a backbone built for `config`
// (Network::backbone(); a linear-head Network itself has the same keys) — adapting the first
// convolution (above) and leaving out the classifier when its shape differs (another number of
// classes), which keeps the model's fresh classifier. Returns the report (the skipped
// classifier keys as unexpected).
StateDictReport load_pretrained(torch::nn::Module& model, const ModelConfig& config,
                                TensorMap tensors);

}  // namespace chorus::models
