#pragma once
// A chorus checkpoint as the Predictor's WindowScorer: the LibTorch model optimised for inference
// (models/inference_optimizer: BatchNorms folded, channels-last), run under torch::InferenceMode
// on batches of windows.

#include <filesystem>
#include <memory>

#include "infer/window_scorer.hpp"
#include "models/checkpoint.hpp"
#include "models/inference_optimizer.hpp"

namespace chorus::cli {

class CheckpointScorer : public infer::WindowScorer {
 public:
  explicit CheckpointScorer(const std::filesystem::path& path);
  const std::vector<std::string>& classes() const override { return checkpoint_.classes; }
  const audio::AudioConfig& audio() const override { return checkpoint_.audio; }
  const features::FeatureConfig& features() const override { return checkpoint_.features; }
  void score(std::span<const float> windows, std::size_t count, int n_mels, int frames,
             std::span<float> logits) override;

 private:
  models::Checkpoint checkpoint_;
  models::InferenceOptions inference_;
  std::shared_ptr<models::Backbone> model_;
};

}  // namespace chorus::cli
