#pragma once
// The recordings of augment.background_dir, decoded once at the training rate and kept in memory
// (background folders are minutes of audio, not hours), for mix_background.

#include <filesystem>
#include <span>
#include <vector>

#include "audio/audio_config.hpp"

namespace chorus::augment {

class BackgroundNoise {
 public:
  // Every audio file under `dir` (.wav .flac .ogg .opus .mp3 .aiff, any case), in path order.
  // An IoError when `dir` is not a folder or holds none; decoding errors name the file.
  BackgroundNoise(const std::filesystem::path& dir, const audio::AudioConfig& audio);

  std::size_t size() const { return recordings_.size(); }
  std::span<const float> operator[](std::size_t i) const { return recordings_[i]; }

 private:
  std::vector<std::vector<float>> recordings_;
};

}  // namespace chorus::augment
