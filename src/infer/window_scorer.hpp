#pragma once
// What the Predictor needs of a model: the settings its inputs were made with and a batch
// forward pass. The LibTorch models implement it; tests use small deterministic scorers.

#include <span>
#include <string>
#include <vector>

#include "audio/audio_config.hpp"
#include "features/feature_config.hpp"

namespace chorus::infer {

class WindowScorer {
 public:
  virtual ~WindowScorer() = default;
  virtual const std::vector<std::string>& classes() const = 0;
  // The audio and feature settings the model was trained with (from its checkpoint).
  virtual const audio::AudioConfig& audio() const = 0;
  virtual const features::FeatureConfig& features() const = 0;
  // `count` windows, each [n_mels × frames] finished features, contiguous; writes count ×
  // classes().size() logits.
  virtual void score(std::span<const float> windows, std::size_t count, int n_mels, int frames,
                     std::span<float> logits) = 0;
};

}  // namespace chorus::infer
