#pragma once
// An on-disk cache of mel power spectrograms, one float32 .npy per recording, so a second
// `chorus prepare`, a training run or a prediction skips decoding and the STFT.
//
// Layout: <root>/<settings key>/<content hash>.npy, plus settings.toml describing the key.
//   - settings key: a hash of every setting that changes the mel power (sample rate, resampler,
//     STFT and mel settings) — the dB scale, top_db and normalisation are applied per window
//     after cropping, so changing them reuses the cache;
//   - content hash: XXH3-128 of the audio file's bytes, so an edited or replaced file gets a new
//     entry and an old entry is never used for new content (never stale);
//   - entries are written atomically; one that does not read back (a damaged disk) is rebuilt.

#include <filesystem>
#include <string>
#include <vector>

#include "audio/audio_config.hpp"
#include "core/npy.hpp"
#include "core/parallel.hpp"
#include "core/progress_sink.hpp"
#include "features/feature_config.hpp"
#include "features/mel_spectrogram.hpp"

namespace chorus::features {

class FeatureCache {
 public:
  FeatureCache(const std::filesystem::path& root, const audio::AudioConfig& audio,
               const features::FeatureConfig& features);

  // <root>/<settings key>: where this configuration's entries live.
  const std::filesystem::path& directory() const { return directory_; }
  // The entry of a recording (whether or not it exists yet). Reads the whole file to hash it.
  std::filesystem::path entry_for(const std::filesystem::path& audio_file) const;

  struct Entry {
    std::filesystem::path path;
    bool computed = false;    // false: it was already there
    std::int64_t frames = 0;  // spectrogram columns
  };
  // Makes sure the recording's entry exists, decoding it (on `threads`) when it does not.
  Entry ensure(const std::filesystem::path& audio_file, int threads);

  struct FillSummary {
    std::size_t computed = 0;                 // entries made now
    std::int64_t frames = 0;                  // spectrogram columns of every entry
    std::vector<core::ItemFailure> failures;  // files that could not be decoded
  };
  // ensure() for every file, files in parallel on `threads` (one thread each: a dataset has far
  // more files than cores), counted on `progress` as `label` when given.
  FillSummary ensure_all(const std::vector<std::filesystem::path>& audio_files, int threads,
                         core::ProgressSink* progress = nullptr,
                         const std::string& label = "cache");

  // Seconds of audio `frames` spectrogram columns stand for.
  double seconds_of(std::int64_t frames) const;

  // The entry, memory-mapped ([n_mels, frames] float32 mel power); ensure() it first.
  core::MappedNpy map(const std::filesystem::path& audio_file) const;

 private:
  // The entry's frame count, or 0 when it is missing or does not read back.
  std::int64_t valid_frames(const std::filesystem::path& entry) const;

  audio::AudioConfig audio_;
  features::MelSpectrogram mel_;
  std::filesystem::path directory_;
};

}  // namespace chorus::features
