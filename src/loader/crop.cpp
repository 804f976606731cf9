#include "loader/crop.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace chorus::loader {

Crop draw_crop(std::int64_t span_first, std::int64_t span_end, std::int64_t length,
               std::mt19937_64& rng) {
  CHORUS_DCHECK(span_end > span_first && length > 0);
  Crop c{span_first, span_first, span_end - span_first, length};
  if (c.span_length > length)
    c.first = std::uniform_int_distribution<std::int64_t>(span_first, span_end - length)(rng);
  return c;
}

std::pair<std::int64_t, std::int64_t> span_samples(const data::Item& item,
                                                   const data::Dataset& dataset, int sample_rate,
                                                   std::int64_t file_samples) {
  const std::int64_t begin = std::llround(item.start_seconds * sample_rate);
  const std::int64_t end =
      item.end_seconds > 0
          ? std::min<std::int64_t>(file_samples, std::llround(item.end_seconds * sample_rate))
          : file_samples;
  CHORUS_CHECK_AS(FormatError, begin >= 0 && begin < end,
                  "{}: item span {}–{} s is outside the recording ({:.3f} s)",
                  dataset.files[item.file].string(), item.start_seconds, item.end_seconds,
                  static_cast<double>(file_samples) / sample_rate);
  return {begin, end};
}

std::pair<std::int64_t, std::int64_t> span_frames(const data::Item& item,
                                                  const data::Dataset& dataset, int sample_rate,
                                                  int hop_length, std::int64_t file_frames) {
  const std::int64_t begin = std::llround(item.start_seconds * sample_rate);
  CHORUS_CHECK_AS(FormatError, begin >= 0 && file_frames > 0 && begin / hop_length < file_frames,
                  "{}: item span {}–{} s is outside the recording ({} frames)",
                  dataset.files[item.file].string(), item.start_seconds, item.end_seconds,
                  file_frames);
  const std::int64_t first =
      (begin + hop_length - 1) / hop_length;  // first frame centred in the span
  std::int64_t end = file_frames;
  if (item.end_seconds > 0) {
    const std::int64_t end_sample = std::llround(item.end_seconds * sample_rate);
    end = std::min(file_frames, (end_sample - 1) / hop_length + 1);
  }
  if (end <= first) return {begin / hop_length, begin / hop_length + 1};  // shorter than a hop
  return {first, end};
}

}  // namespace chorus::loader
