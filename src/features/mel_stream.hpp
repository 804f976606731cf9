#pragma once
// Mel frames of a signal that arrives in blocks (a decoder's output), computed as soon as each
// frame's samples are in, so a file's spectrogram is made without holding its waveform: the
// samples pass through the cache once, from the decoder to the FFT.

#include <cstdint>
#include <span>
#include <vector>

#include "features/mel_spectrogram.hpp"

namespace chorus::features {

class MelStream {
 public:
  // Computes frames [first_frame, end_frame) of a `length`-sample signal into the same columns
  // of `out`; the samples pushed start at signal index `first_sample`, which must be at or
  // before the first sample frame `first_frame` reads (0 when it starts at the signal's edge).
  MelStream(const MelSpectrogram& mel, std::int64_t length, std::int64_t first_sample,
            std::int64_t first_frame, std::int64_t end_frame, Spectrogram& out);

  // Appends samples and computes every frame they complete.
  void push(std::span<const float> samples);
  // Computes the frames left (all of them once the signal's last sample has been pushed).
  void finish();

  // The earliest signal sample frame `frame` can read: its window's start, or for frames that
  // reflect about the end of the signal, up to n_fft samples earlier.
  static std::int64_t first_sample_needed(std::int64_t frame, std::int64_t length,
                                          const StftSettings& stft);

 private:
  void compute_ready();

  const MelSpectrogram& mel_;
  StftFrames workspace_;
  std::int64_t length_;
  std::int64_t next_frame_;
  std::int64_t end_frame_;
  Spectrogram& out_;
  std::vector<float> buffer_;  // signal samples [buffer_start_, buffer_start_ + buffer_.size())
  std::int64_t buffer_start_;
};

}  // namespace chorus::features
