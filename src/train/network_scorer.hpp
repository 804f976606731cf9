#pragma once
// A Network as the Predictor's WindowScorer: batches of finished log-mel windows in, logits out,
// under torch::InferenceMode. `chorus predict` scores checkpoints through it and training
// validation scores the network being trained, so both take one path from windows to logits.
// The network must be in eval mode while the Predictor runs (the caller switches it: training
// flips it back); concurrent score() calls only read it.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "infer/window_scorer.hpp"
#include "models/network.hpp"

namespace chorus::train {

class NetworkScorer : public infer::WindowScorer {
 public:
  NetworkScorer(std::shared_ptr<models::NetworkImpl> network, audio::AudioConfig audio,
                features::FeatureConfig features, std::vector<std::string> classes);

  const std::vector<std::string>& classes() const override { return classes_; }
  const audio::AudioConfig& audio() const override { return audio_; }
  const features::FeatureConfig& features() const override { return features_; }
  void score(std::span<const float> windows, std::size_t count, int n_mels, int frames,
             std::span<float> logits) override;
  // SED networks: their frame probabilities (infer.mode = sed).
  int frame_outputs(int frames) const override;
  void score_frames(std::span<const float> windows, std::size_t count, int n_mels, int frames,
                    std::span<float> frame_probabilities) override;

  models::NetworkImpl& network() { return *network_; }

 private:
  std::shared_ptr<models::NetworkImpl> network_;
  audio::AudioConfig audio_;
  features::FeatureConfig features_;
  std::vector<std::string> classes_;
  mutable std::mutex frame_counts_mutex_;
  mutable std::map<int, int> frame_counts_;  // input frames → output frames, measured once
};

}  // namespace chorus::train
