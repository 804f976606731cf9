#pragma once
// A spectrogram in the layout torch uses for [F, T]: row-major, one row per mel band.

#include <cstddef>
#include <span>
#include <vector>

#include "core/buffer.hpp"

namespace chorus::features {

struct Spectrogram {
  int n_bins = 0;    // rows (mel bands)
  int n_frames = 0;  // columns (time frames)
  core::Buffer<float> values;

  Spectrogram() = default;
  // Zero-filled.
  Spectrogram(int bins, int frames)
      : n_bins(bins), n_frames(frames), values(static_cast<std::size_t>(bins) * frames, 0.0f) {}
  // Contents undefined: for producers that write every value (saves a pass over the memory).
  static Spectrogram uninitialized(int bins, int frames) {
    Spectrogram s;
    s.n_bins = bins;
    s.n_frames = frames;
    s.values.resize(static_cast<std::size_t>(bins) * frames);
    return s;
  }

  float& at(int bin, int frame) { return values[static_cast<std::size_t>(bin) * n_frames + frame]; }
  float at(int bin, int frame) const {
    return values[static_cast<std::size_t>(bin) * n_frames + frame];
  }
  std::span<float> row(int bin) {
    return {values.data() + static_cast<std::size_t>(bin) * n_frames,
            static_cast<std::size_t>(n_frames)};
  }
  // Frames [first, first + count) as a new spectrogram.
  Spectrogram frames(int first, int count) const;
};

}  // namespace chorus::features
