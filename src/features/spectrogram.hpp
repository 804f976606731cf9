#pragma once
// A spectrogram in the layout torch uses for [F, T]: row-major, one row per mel band.

#include <cstddef>
#include <span>
#include <vector>

namespace chorus::features {

struct Spectrogram {
  int n_bins = 0;    // rows (mel bands)
  int n_frames = 0;  // columns (time frames)
  std::vector<float> values;

  Spectrogram() = default;
  Spectrogram(int bins, int frames)
      : n_bins(bins), n_frames(frames), values(static_cast<std::size_t>(bins) * frames) {}

  float& at(int bin, int frame) { return values[static_cast<std::size_t>(bin) * n_frames + frame]; }
  float at(int bin, int frame) const {
    return values[static_cast<std::size_t>(bin) * n_frames + frame];
  }
  std::span<float> row(int bin) {
    return {values.data() + static_cast<std::size_t>(bin) * n_frames, static_cast<std::size_t>(n_frames)};
  }
  // Frames [first, first + count) as a new spectrogram.
  Spectrogram frames(int first, int count) const;
};

}  // namespace chorus::features
