#include "train/network_scorer.hpp"

#include <torch/types.h>

#include "core/error.hpp"

namespace chorus::train {

NetworkScorer::NetworkScorer(std::shared_ptr<models::NetworkImpl> network, audio::AudioConfig audio,
                             features::FeatureConfig features, std::vector<std::string> classes)
    : network_(std::move(network)),
      audio_(std::move(audio)),
      features_(std::move(features)),
      classes_(std::move(classes)) {}

void NetworkScorer::score(std::span<const float> windows, std::size_t count, int n_mels, int frames,
                          std::span<float> logits) {
  const models::ModelConfig& config = network_->config();
  CHORUS_CHECK_AS(ModelError, config.in_channels == 1,
                  "{} expects {} input channels; log-mel windows have 1", config.arch,
                  config.in_channels);
  torch::InferenceMode guard;
  // from_blob does not copy; the network only reads its input.
  const torch::Tensor input =
      torch::from_blob(const_cast<float*>(windows.data()),
                       {static_cast<std::int64_t>(count), 1, n_mels, frames});
  const torch::Tensor out = network_->forward(input).contiguous();
  CHORUS_CHECK_AS(ModelError, out.numel() == static_cast<std::int64_t>(logits.size()),
                  "{} gave {} outputs for {} windows of {} classes", config.arch, out.numel(),
                  count, classes_.size());
  std::copy_n(out.data_ptr<float>(), out.numel(), logits.begin());
}

}  // namespace chorus::train
