#pragma once
// The mel power spectrogram of a signal: STFT frames → power → mel filters, in parallel over
// blocks of frames. Equals torchaudio.transforms.MelSpectrogram with the same settings.

#include <cstdint>
#include <span>

#include "features/feature_config.hpp"
#include "features/mel_filterbank.hpp"
#include "features/spectrogram.hpp"
#include "features/stft.hpp"

namespace chorus::features {

class MelSpectrogram {
 public:
  MelSpectrogram(const FeatureConfig& config, int sample_rate);

  int n_mels() const { return filterbank_.n_mels(); }
  int sample_rate() const { return sample_rate_; }
  const StftSettings& stft() const { return stft_; }
  const MelFilterbank& filterbank() const { return filterbank_; }
  std::int64_t frame_count(std::int64_t samples) const { return stft_frame_count(samples, stft_); }

  // [n_mels × frame_count(signal.size())] mel power (or magnitude) values.
  Spectrogram compute(std::span<const float> signal, int threads) const;

  // Frames [first, first + count) of a `length`-sample signal into columns of `out` starting at
  // `out_column`; only samples [offset, offset + part.size()) need be in memory (they must
  // cover what the frames read). `workspace` is the caller's FFT state (one per thread); the
  // building block of compute() and of MelStream.
  void compute_frames(StftFrames& workspace, std::span<const float> part, std::int64_t offset,
                      std::int64_t length, std::int64_t first, std::int64_t count,
                      SpectrogramView out, std::int64_t out_column) const;

 private:
  StftSettings stft_;
  MelFilterbank filterbank_;
  int sample_rate_;
};

}  // namespace chorus::features
