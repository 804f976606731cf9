#pragma once
// A spectrogram in the layout torch uses for [F, T]: row-major, one row per mel band.

#include <cstddef>
#include <span>
#include <vector>

#include "core/buffer.hpp"

namespace chorus::features {

// A spectrogram's values held elsewhere, in the same layout: one window of a block that holds
// many windows one after another, as a network takes them in a batch.
struct SpectrogramView {
  int n_bins = 0;
  int n_frames = 0;
  std::span<float> values;

  float& at(int bin, int frame) const {
    return values[static_cast<std::size_t>(bin) * n_frames + frame];
  }
  std::span<float> row(int bin) const {
    return values.subspan(static_cast<std::size_t>(bin) * n_frames,
                          static_cast<std::size_t>(n_frames));
  }
};

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

  SpectrogramView view() { return {n_bins, n_frames, values}; }
  float& at(int bin, int frame) { return view().at(bin, frame); }
  float at(int bin, int frame) const {
    return values[static_cast<std::size_t>(bin) * n_frames + frame];
  }
  std::span<float> row(int bin) { return view().row(bin); }
  // Frames [first, first + count) as a new spectrogram.
  Spectrogram frames(int first, int count) const;
};

}  // namespace chorus::features
