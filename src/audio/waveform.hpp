#pragma once
// A whole decoded recording in memory, and the loader that produces it (in parallel segments for
// long files).

#include <filesystem>
#include <vector>

#include "audio/audio_config.hpp"
#include "audio/audio_decoder.hpp"
#include "audio/audio_stream.hpp"
#include "core/buffer.hpp"

namespace chorus::audio {

struct Waveform {
  core::Buffer<float> samples;  // mono, float32, nominally in [-1, 1]
  int sample_rate = 0;          // Hz
  AudioFileInfo source;         // the file as it was on disk
  double duration_seconds() const {
    return sample_rate ? static_cast<double>(samples.size()) / sample_rate : 0.0;
  }
};

// Decodes `path` to mono at config.sample_rate. With threads > 1, a long file whose format
// seeks exactly is cut into segments decoded (and resampled) concurrently; the result equals
// the sequential decode to float rounding.
Waveform load_audio(const std::filesystem::path& path, const AudioConfig& config, int threads = 1);

// How load_audio cuts a file for `threads` threads: one range when threads == 1, the file is
// short (under 30 s per part) or its format does not seek exactly; else up to 4 per thread.
std::vector<SampleRange> plan_segments(const AudioStream& stream, int threads);

// Reads the rest of `stream` into `out` (stream.total_samples() floats).
void read_all(AudioStream& stream, float* out);

// Decodes [start, start + duration) seconds only (duration < 0: to the end).
Waveform load_audio_span(const std::filesystem::path& path, const AudioConfig& config,
                         double start_seconds, double duration_seconds);

}  // namespace chorus::audio
