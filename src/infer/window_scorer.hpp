#pragma once
// What the Predictor needs of a model: the settings its inputs were made with and a batch
// forward pass. The LibTorch models implement it; tests use small deterministic scorers.
//
// A sound-event-detection (SED) model also gives framewise output: T' frames per window, which
// the Predictor maps linearly onto the window's time span (frame j of a window [b, e) covers
// [b + j·(e − b)/T', b + (j + 1)·(e − b)/T')) and pools per chunk (infer.mode = sed).

#include <span>
#include <string>
#include <vector>

#include "audio/audio_config.hpp"
#include "features/feature_config.hpp"
#include "formats/species_names.hpp"

namespace chorus::infer {

class WindowScorer {
 public:
  virtual ~WindowScorer() = default;
  virtual const std::vector<std::string>& classes() const = 0;
  // The classes' scientific and common names, when the model carries them (empty: none).
  virtual const formats::SpeciesNames& species_names() const {
    static const formats::SpeciesNames none;
    return none;
  }
  // The audio and feature settings the model was trained with (from its checkpoint).
  virtual const audio::AudioConfig& audio() const = 0;
  virtual const features::FeatureConfig& features() const = 0;
  // `count` windows, each [n_mels × frames] finished features, contiguous; writes count ×
  // classes().size() logits.
  virtual void score(std::span<const float> windows, std::size_t count, int n_mels, int frames,
                     std::span<float> logits) = 0;

  // Output frames T' per window of `frames` input frames; 0: the model gives clip output only.
  // T' depends on the input length (a CNN's time stride), hence the argument.
  virtual int frame_outputs(int frames) const {
    static_cast<void>(frames);
    return 0;
  }
  // `count` windows as for score(); writes count × T' × classes().size() probabilities
  // (window-major, then frame, then class), already through the model's own activation: the
  // Predictor applies none on top. Only called when frame_outputs(frames) > 0.
  virtual void score_frames(std::span<const float> windows, std::size_t count, int n_mels,
                            int frames, std::span<float> frame_probabilities);
};

}  // namespace chorus::infer
