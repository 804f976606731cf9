#include "infer/network_scorer.hpp"

#include <torch/types.h>

#include "core/error.hpp"
#include "models/checkpoint.hpp"
#include "runtime/autocast.hpp"

namespace chorus::infer {

NetworkScorer::NetworkScorer(std::shared_ptr<models::NetworkImpl> network, audio::AudioConfig audio,
                             features::FeatureConfig features, std::vector<std::string> classes,
                             graph::Precision eager_precision)
    : network_(std::move(network)),
      audio_(std::move(audio)),
      features_(std::move(features)),
      classes_(std::move(classes)),
      autocast_(eager_precision == graph::Precision::bf16) {
  CHORUS_CHECK_AS(ModelError, eager_precision == graph::Precision::fp32 || autocast_,
                  "a network run as it is computes in fp32 or bf16, not {}",
                  core::enum_name(eager_precision));
}

std::shared_ptr<NetworkScorer> NetworkScorer::calibrating(const models::Checkpoint& checkpoint) {
  auto scorer = evaluating(checkpoint);
  scorer->calibrator_ = std::make_shared<runtime::Int8Calibrator>(scorer->network_);
  return scorer;
}

std::shared_ptr<NetworkScorer> NetworkScorer::evaluating(const models::Checkpoint& checkpoint) {
  // In eval mode, its weights as read: the calibrator folds the norms itself.
  std::shared_ptr<models::NetworkImpl> network = checkpoint.instantiate();
  auto scorer = std::make_shared<NetworkScorer>(std::move(network), checkpoint.audio,
                                                checkpoint.features, checkpoint.classes);
  scorer->species_names_ = checkpoint.names;
  return scorer;
}

torch::Tensor NetworkScorer::input(std::span<const float> windows, std::size_t count, int n_mels,
                                   int frames) const {
  // from_blob does not copy; the network only reads its input.
  return torch::from_blob(const_cast<float*>(windows.data()),
                          {static_cast<std::int64_t>(count), 1, n_mels, frames});
}

models::NetworkOutput NetworkScorer::run(const torch::Tensor& x) const {
  torch::InferenceMode guard;
  if (calibrator_) return network_->head_output(calibrator_->observe(x), x.size(3));
  const runtime::CpuAutocast autocast(autocast_);
  models::NetworkOutput out = network_->forward_output(x);
  if (autocast_) {  // the Predictor reads float32
    out.logits = out.logits.to(torch::kFloat32);
    if (out.frame_probabilities.defined())
      out.frame_probabilities = out.frame_probabilities.to(torch::kFloat32);
  }
  return out;
}

void NetworkScorer::score(std::span<const float> windows, std::size_t count, int n_mels, int frames,
                          std::span<float> logits) {
  const models::ModelConfig& config = network_->config();
  CHORUS_CHECK_AS(ModelError, config.in_channels == 1,
                  "{} expects {} input channels; log-mel windows have 1", config.arch,
                  config.in_channels);
  const torch::Tensor out = run(input(windows, count, n_mels, frames)).logits.contiguous();
  CHORUS_CHECK_AS(ModelError, out.numel() == static_cast<std::int64_t>(logits.size()),
                  "{} gave {} outputs for {} windows of {} classes", config.arch, out.numel(),
                  count, classes_.size());
  std::copy_n(out.data_ptr<float>(), out.numel(), logits.begin());
}

int NetworkScorer::frame_outputs(int frames) const {
  if (!network_->is_sed()) return 0;
  std::lock_guard lock(frame_counts_mutex_);
  auto it = frame_counts_.find(frames);
  if (it == frame_counts_.end()) {
    // The backbone's time stride and padding decide it; one forward pass of a silent window says.
    const std::vector<float> silence(static_cast<std::size_t>(features_.n_mels) * frames, 0.0f);
    const auto t = static_cast<int>(
        run(input(silence, 1, features_.n_mels, frames)).frame_probabilities.size(1));
    it = frame_counts_.emplace(frames, t).first;
  }
  return it->second;
}

void NetworkScorer::score_frames(std::span<const float> windows, std::size_t count, int n_mels,
                                 int frames, std::span<float> frame_probabilities) {
  const models::ModelConfig& config = network_->config();
  CHORUS_CHECK_AS(ModelError, network_->is_sed(),
                  "{} with a {} head has no framewise output (infer.mode = sed "
                  "needs model.head = sed)",
                  config.arch, core::enum_name(config.head));
  const torch::Tensor out =
      run(input(windows, count, n_mels, frames)).frame_probabilities.contiguous();
  CHORUS_CHECK_AS(ModelError, out.numel() == static_cast<std::int64_t>(frame_probabilities.size()),
                  "{} gave {} frame outputs where {} were expected", config.arch, out.numel(),
                  frame_probabilities.size());
  std::copy_n(out.data_ptr<float>(), out.numel(), frame_probabilities.begin());
}

}  // namespace chorus::infer
