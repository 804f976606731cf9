#pragma once
// Where a training input is cut from an item: a random crop of `length` units (mel frames or
// samples) inside the item's span, or, when the span is shorter, the span repeated from its start
// (data::cyclic_pad's rule, so a 2-second call fills a 10-second input with calls).

#include <cstdint>
#include <random>
#include <utility>

#include "data/dataset.hpp"

namespace chorus::loader {

struct Crop {
  std::int64_t first = 0;       // unit of column 0
  std::int64_t span_first = 0;  // the span the crop lies in: [span_first, span_first + span_length)
  std::int64_t span_length = 0;
  std::int64_t length = 0;  // columns of the input

  // Unit of column t: always inside the span.
  std::int64_t at(std::int64_t t) const {
    return span_first + (first - span_first + t) % span_length;
  }
  // Contiguous units the crop reads: [first, first + min(length, span_length)).
  std::int64_t distinct() const { return length < span_length ? length : span_length; }
};

// A crop of `length` units from the span [span_first, span_end) (non-empty): first uniform in
// [span_first, span_end − length] when the span is long enough, else the span's start.
Crop draw_crop(std::int64_t span_first, std::int64_t span_end, std::int64_t length,
               std::mt19937_64& rng);

// The item's span in samples at `sample_rate`, in a file of `file_samples`: [start, end) seconds,
// end 0 meaning the file's end. A FormatError naming the file when the span is empty or outside it.
std::pair<std::int64_t, std::int64_t> span_samples(const data::Item& item,
                                                   const data::Dataset& dataset, int sample_rate,
                                                   std::int64_t file_samples);

// The item's span in STFT frames of a file with `file_frames` frames: the frames centred (at
// t·hop) inside the span, at least the one nearest its start; the file's last frames when the
// span reaches the file's end (end 0).
std::pair<std::int64_t, std::int64_t> span_frames(const data::Item& item,
                                                  const data::Dataset& dataset, int sample_rate,
                                                  int hop_length, std::int64_t file_frames);

}  // namespace chorus::loader
