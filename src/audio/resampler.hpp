#pragma once
// Streaming sample-rate conversion with soxr (linear phase, delay compensated: output sample k
// is the signal at time k / out_rate, exactly as if the whole file were converted at once).

#include <span>
#include <vector>

#include "audio/audio_config.hpp"

struct soxr;

namespace chorus::audio {

class Resampler {
 public:
  Resampler(int in_rate, int out_rate, ResampleQuality quality);
  ~Resampler();
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;

  // Appends the output available so far for `input` to `out`.
  void process(std::span<const float> input, std::vector<float>& out);
  // Appends the remaining output (the filter's tail) at the end of the stream.
  void flush(std::vector<float>& out);

 private:
  void run(const float* input, std::size_t length, std::vector<float>& out);
  soxr* handle_ = nullptr;
  double ratio_;
};

// Output length of converting `frames` input samples: ceil(frames * out / in), the length
// torchaudio.functional.resample gives.
std::int64_t resampled_length(std::int64_t frames, int in_rate, int out_rate);

// Whole-signal convenience.
std::vector<float> resample(std::span<const float> input, int in_rate, int out_rate,
                            ResampleQuality quality);

}  // namespace chorus::audio
