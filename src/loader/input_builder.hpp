#pragma once
// One training input from its items, the work a loader thread does:
//   per item (data.halves of them, each taking its share of the window's frames) a random crop
//   inside its span, read as mel power either
//     - from the feature cache (when given and no waveform augmentation is on), or
//     - by decoding just the samples the crop's frames read (no waveform augmentation): the
//       frames are computed as the file's spectrogram has them, so this equals the cache, or
//     - by decoding the crop's samples, the waveform augmentations, and the crop's own mel;
//   then the band filter, side by side, the Predictor's finishing (dB, top_db floor and
//   normalisation over the whole input), the spectrogram augmentations.
// The target is the mean of the items' targets, the mask their product, the weight the mean.
// Every draw comes from the generator the caller seeds, so an input depends only on that seed.

#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>

#include "audio/audio_config.hpp"
#include "augment/augment_config.hpp"
#include "augment/background_noise.hpp"
#include "data/data_config.hpp"
#include "data/dataset.hpp"
#include "features/feature_config.hpp"
#include "features/feature_extractor.hpp"
#include "features/feature_store.hpp"
#include "features/spectrogram.hpp"

namespace chorus::loader {

struct Input {
  features::Spectrogram spectrogram;  // [n_mels × frames], finished and augmented
  data::Target target;
};

// An input that could not be built: the file that failed and why.
struct InputFailure {
  std::size_t file = 0;  // index into Dataset::files
  std::string message;
};

class InputBuilder {
 public:
  // `cache` (may be null) must hold every dataset file; it is used only without waveform
  // augmentations. `background` may be null unless augment.background_p > 0.
  InputBuilder(const data::Dataset& dataset, const audio::AudioConfig& audio,
               const features::FeatureConfig& features, const data::DataConfig& data,
               const augment::AugmentConfig& augment, const features::FeatureStore* cache,
               const augment::BackgroundNoise* background);

  int n_mels() const { return extractor_.mel().n_mels(); }
  int frames() const { return frames_; }
  bool uses_cache() const { return cache_ != nullptr; }

  // The input of `items` (data.halves of them). chorus::Error from reading a file becomes a
  // failure naming it; anything else (a bug) propagates.
  Input build(std::span<const std::size_t> items, std::mt19937_64& rng,
              std::optional<InputFailure>& failure) const;

 private:
  // Mel power of `frames` columns cropped from the item.
  features::Spectrogram cached_part(const data::Item& item, int frames, std::mt19937_64& rng) const;
  features::Spectrogram decoded_part(const data::Item& item, int frames,
                                     std::mt19937_64& rng) const;
  features::Spectrogram augmented_part(const data::Item& item, int frames,
                                       std::mt19937_64& rng) const;

  const data::Dataset& dataset_;
  audio::AudioConfig audio_;
  data::DataConfig data_;
  augment::AugmentConfig augment_;
  const features::FeatureStore* cache_;
  const augment::BackgroundNoise* background_;
  features::FeatureExtractor extractor_;
  bool augment_waveforms_;
  int frames_;  // of a whole input
};

}  // namespace chorus::loader
