#include "audio/waveform.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "audio/audio_stream.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"

namespace chorus::audio {
namespace {

// Below this many source frames per segment the seek and pre-roll cost more than they save.
constexpr std::int64_t kMinSegmentSeconds = 30;

}  // namespace

void read_all(AudioStream& stream, float* out) {
  const auto total = static_cast<std::size_t>(stream.total_samples());
  std::size_t done = 0;
  while (done < total) {
    const std::size_t n = stream.read({out + done, total - done});
    CHORUS_DCHECK(n > 0);
    done += n;
  }
}

std::vector<SampleRange> plan_segments(const AudioStream& stream, int threads) {
  threads = core::resolve_threads(threads);
  const std::int64_t total = stream.file_samples();
  // A few segments per thread even out the load: Vorbis bitrate, and so decoding time, varies
  // along a file.
  const std::int64_t parts =
      threads == 1 || !stream.seeks_exactly()
          ? 1
          : std::clamp<std::int64_t>(total / (kMinSegmentSeconds * stream.sample_rate()), 1,
                                     4 * threads);
  std::vector<SampleRange> segments;
  for (std::int64_t i = 0; i < parts; ++i)
    segments.push_back({total * i / parts, total * (i + 1) / parts});
  return segments;
}

Waveform load_audio(const std::filesystem::path& path, const AudioConfig& config, int threads) {
  Waveform wave;
  std::vector<SampleRange> segments;
  {
    AudioStream probe(path, config.sample_rate, config.resample_quality);
    wave.source = probe.source();
    wave.sample_rate = probe.sample_rate();
    wave.samples.resize(static_cast<std::size_t>(probe.total_samples()));
    segments = plan_segments(probe, threads);
    if (segments.size() == 1) {
      read_all(probe, wave.samples.data());
      return wave;
    }
  }
  core::parallel_for(segments.size(), threads, 1, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      AudioStream stream(path, wave.sample_rate, config.resample_quality, segments[i]);
      read_all(stream, wave.samples.data() + segments[i].begin);
    }
  });
  return wave;
}

Waveform load_audio_span(const std::filesystem::path& path, const AudioConfig& config,
                         double start_seconds, double duration_seconds) {
  CHORUS_CHECK(start_seconds >= 0 && std::isfinite(start_seconds),
               "--start {} must be a non-negative number of seconds", start_seconds);
  AudioStream probe(path, config.sample_rate, config.resample_quality);
  const std::int64_t total = probe.file_samples();
  const int rate = probe.sample_rate();
  // Compared in seconds before any conversion: --start 1e300 is past the end, not an overflow.
  CHORUS_CHECK(std::round(start_seconds * rate) < static_cast<double>(total),
               "{}: --start {} s is past the end ({:.3f} s)", probe.source().path, start_seconds,
               static_cast<double>(total) / rate);
  const auto begin = static_cast<std::int64_t>(std::llround(start_seconds * rate));
  const std::int64_t end =
      duration_seconds < 0 || std::round(duration_seconds * rate) >= static_cast<double>(total)
          ? total
          : std::min(total,
                     begin + static_cast<std::int64_t>(std::llround(duration_seconds * rate)));
  AudioStream stream(path, config.sample_rate, config.resample_quality, {begin, end});
  Waveform wave;
  wave.source = stream.source();
  wave.sample_rate = stream.sample_rate();
  wave.samples.resize(static_cast<std::size_t>(stream.total_samples()));
  read_all(stream, wave.samples.data());
  return wave;
}

}  // namespace chorus::audio
