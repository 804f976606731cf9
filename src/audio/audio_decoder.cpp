#include "audio/audio_decoder.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

#include "audio/audio_files.hpp"
#include "audio/sndfile_decoder.hpp"
#include "audio/vorbis_decoder.hpp"
#include "core/error.hpp"

namespace chorus::audio {
namespace {

// The magnitude bits of a float (sign cleared): they order like |x|, and NaN and ±inf lie above
// every finite value, so one unsigned compare per sample finds all three kinds of damage.
std::uint32_t magnitude_bits(float x) { return std::bit_cast<std::uint32_t>(x) & 0x7fffffffu; }

}  // namespace

void check_samples(const AudioFileInfo& info, std::int64_t first_frame,
                   std::span<const float> samples) {
  static const std::uint32_t limit = magnitude_bits(kMaxSampleMagnitude);
  // A branch-free OR-reduction so the loop vectorises: it runs over every decoded sample.
  std::uint32_t over = 0;
  for (float x : samples) over |= static_cast<std::uint32_t>(magnitude_bits(x) > limit);
  if (over == 0) return;
  const auto bad = std::find_if(samples.begin(), samples.end(),
                                [](float x) { return magnitude_bits(x) > limit; });
  const std::int64_t frame = first_frame + (bad - samples.begin()) / std::max(1, info.channels);
  const std::string what = std::isnan(*bad)   ? std::string("NaN")
                           : std::isinf(*bad) ? std::string("infinite")
                                              : fmt::format(
                                                    "{:g}, beyond ±{:g} (120 dB above "
                                                    "full scale)",
                                                    *bad, kMaxSampleMagnitude);
  throw FormatError(fmt::format("{}: sample {} (at {:.3f} s) is {}: damaged audio data", info.path,
                                frame, static_cast<double>(frame) / std::max(1, info.sample_rate),
                                what));
}

std::int64_t AudioDecoder::read(std::span<float> out, std::int64_t frames) {
  const std::int64_t got = read_frames(out, frames);
  check_samples(info_, position_, out.first(static_cast<std::size_t>(got * info_.channels)));
  position_ += got;
  return got;
}

std::unique_ptr<AudioDecoder> open_audio(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  CHORUS_CHECK_AS(IoError, std::filesystem::is_regular_file(path, ec), "{}: {}", name,
                  unreadable_path(path));
  CHORUS_CHECK_AS(FormatError, std::filesystem::file_size(path, ec) > 0, "{}: empty file (0 bytes)",
                  name);
  std::unique_ptr<AudioDecoder> decoder;
  if (is_ogg_vorbis(path))
    decoder = std::make_unique<VorbisDecoder>(path);
  else
    decoder = std::make_unique<SndfileDecoder>(path);
  const int rate = decoder->info().sample_rate;
  CHORUS_CHECK_AS(FormatError, rate >= kMinSampleRate && rate <= kMaxSampleRate,
                  "{}: the header gives a sample rate of {} Hz; chorus reads {}–{} Hz (a damaged "
                  "header?)",
                  name, rate, kMinSampleRate, kMaxSampleRate);
  return decoder;
}

}  // namespace chorus::audio
