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

void read_all(AudioStream& stream, float* out) {
  const auto total = static_cast<std::size_t>(stream.total_samples());
  std::size_t done = 0;
  while (done < total) {
    const std::size_t n = stream.read({out + done, total - done});
    CHORUS_DCHECK(n > 0);
    done += n;
  }
}

}  // namespace

Waveform load_audio(const std::filesystem::path& path, const AudioConfig& config, int threads) {
  Waveform wave;
  std::vector<FrameRange> segments;
  {
    AudioStream probe(path, config.sample_rate, config.resample_quality);
    wave.source = probe.source();
    wave.sample_rate = probe.sample_rate();
    wave.samples.resize(static_cast<std::size_t>(probe.total_samples()));
    threads = core::resolve_threads(threads);
    const std::int64_t frames = wave.source.frames;
    const int rate = wave.source.sample_rate;
    // A few segments per thread even out the load: Vorbis bitrate, and so decoding time, varies
    // along a file.
    const std::int64_t parts =
        threads == 1 ? 1 : std::min<std::int64_t>(4 * threads, frames / (kMinSegmentSeconds * rate));
    if (parts <= 1 || !probe.seeks_exactly()) {
      read_all(probe, wave.samples.data());
      return wave;
    }
    // Segment starts map to whole output samples: multiples of in_rate / gcd(in_rate, out_rate).
    const std::int64_t step = rate / std::gcd(rate, wave.sample_rate);
    std::int64_t begin = 0;
    for (std::int64_t i = 1; i <= parts; ++i) {
      const std::int64_t end = i == parts ? frames : frames * i / parts / step * step;
      segments.push_back({begin, end});
      begin = end;
    }
  }
  core::parallel_for(segments.size(), threads, 1, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      AudioStream stream(path, wave.sample_rate, config.resample_quality, segments[i]);
      const std::int64_t offset =
          resampled_length(segments[i].begin, wave.source.sample_rate, wave.sample_rate);
      CHORUS_DCHECK(offset + stream.total_samples() <=
                    static_cast<std::int64_t>(wave.samples.size()));
      read_all(stream, wave.samples.data() + offset);
    }
  });
  return wave;
}

Waveform load_audio_span(const std::filesystem::path& path, const AudioConfig& config,
                         double start_seconds, double duration_seconds) {
  CHORUS_CHECK(start_seconds >= 0 && std::isfinite(start_seconds),
               "--start {} must be a non-negative number of seconds", start_seconds);
  const AudioFileInfo info = open_audio(path)->info();
  const auto begin = static_cast<std::int64_t>(std::llround(start_seconds * info.sample_rate));
  CHORUS_CHECK(begin < info.frames, "{}: --start {} s is past the end ({:.3f} s)", info.path,
               start_seconds, info.duration_seconds());
  const std::int64_t end =
      duration_seconds < 0
          ? info.frames
          : std::min(info.frames,
                     begin + static_cast<std::int64_t>(std::llround(duration_seconds * info.sample_rate)));
  AudioStream stream(path, config.sample_rate, config.resample_quality, {begin, end});
  Waveform wave;
  wave.source = stream.source();
  wave.sample_rate = stream.sample_rate();
  wave.samples.resize(static_cast<std::size_t>(stream.total_samples()));
  read_all(stream, wave.samples.data());
  return wave;
}

}  // namespace chorus::audio
