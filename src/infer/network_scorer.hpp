#pragma once
// A LibTorch Network as the Predictor's WindowScorer, run as it is: batches of finished log-mel
// windows in, logits (or a SED network's frame probabilities) out, under torch::InferenceMode.
// Training validation scores the network being trained through it (in eval mode for the
// duration), through the same Predictor that `chorus predict` runs compiled checkpoints with
// (infer/checkpoint_scorers.hpp); `chorus calibrate` runs a checkpoint through an int8
// calibrator the same way. Concurrent score() calls only read the network.

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "infer/window_scorer.hpp"
#include "models/checkpoint.hpp"
#include "models/network.hpp"
#include "runtime/int8_calibrator.hpp"

namespace chorus::infer {

class NetworkScorer : public WindowScorer {
 public:
  // A network run as it is (training validation), in `eager_precision`: fp32, or bf16 under
  // LibTorch's autocast.
  NetworkScorer(std::shared_ptr<models::NetworkImpl> network, audio::AudioConfig audio,
                features::FeatureConfig features, std::vector<std::string> classes,
                graph::Precision eager_precision = graph::Precision::fp32);
  // A checkpoint's network run through an int8 calibrator (`chorus calibrate`): the Predictor
  // makes its windows exactly as for `chorus predict`, the scores are the float32 network's, and
  // calibrator() holds the ranges the windows showed.
  static std::shared_ptr<NetworkScorer> calibrating(const models::Checkpoint& checkpoint);
  const runtime::Int8Calibrator& calibrator() const { return *calibrator_; }

  const std::vector<std::string>& classes() const override { return classes_; }
  const formats::SpeciesNames& species_names() const override { return species_names_; }
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
  // A checkpoint's network in eval mode, run as it is until calibrating gives it its calibrator.
  static std::shared_ptr<NetworkScorer> evaluating(const models::Checkpoint& checkpoint);
  torch::Tensor input(std::span<const float> windows, std::size_t count, int n_mels,
                      int frames) const;
  models::NetworkOutput run(const torch::Tensor& x) const;

  std::shared_ptr<models::NetworkImpl> network_;
  audio::AudioConfig audio_;
  features::FeatureConfig features_;
  std::vector<std::string> classes_;
  formats::SpeciesNames species_names_;                  // the checkpoint's
  bool autocast_ = false;                                // the eager network under bf16 autocast
  std::shared_ptr<runtime::Int8Calibrator> calibrator_;  // calibrating() only
  mutable std::mutex frame_counts_mutex_;
  mutable std::map<int, int> frame_counts_;  // input frames → output frames, measured once
};

}  // namespace chorus::infer
