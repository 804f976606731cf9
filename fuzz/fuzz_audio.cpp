// Audio headers and data through the decoder front: open_audio picks the Ogg Vorbis decoder
// (libogg, FFmpeg) or libsndfile by content, then every frame is decoded (checked for NaN,
// infinities and absurd magnitudes), and the first seconds are resampled to 32 kHz as every command
// does.

#include <algorithm>
#include <vector>

#include "audio/audio_decoder.hpp"
#include "audio/audio_stream.hpp"
#include "fuzz_input.hpp"

namespace {

// Decodes at most this many frames: a header may claim hours, and the fuzzer's time limit is
// for finding hangs in the reader, not for decoding long files.
constexpr std::int64_t kMaxFrames = 1 << 20;

void decode(const std::filesystem::path& path) {
  using namespace chorus::audio;
  auto decoder = open_audio(path);
  const AudioFileInfo& info = decoder->info();
  std::vector<float> block(static_cast<std::size_t>(4096 * info.channels));
  for (std::int64_t done = 0; done < std::min(info.frames, kMaxFrames);) {
    const std::int64_t n = decoder->read(block, 4096);
    if (n == 0) break;
    done += n;
  }
  // Two seconds at 32 kHz (the range ends at the file's end when that is sooner).
  AudioStream stream(*decoder, 32000, ResampleQuality::hq, {0, 64000});
  std::vector<float> out(8192);
  while (stream.read(out) > 0) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return chorus::fuzz::read_as_file(data, size, ".audio", decode);
}
