#pragma once
// Writing mono audio with libsndfile; the container and codec follow the file extension:
// .wav (16-bit PCM, or float), .flac (16-bit), .ogg (Vorbis), .opus (Ogg Opus), .mp3 (MPEG III).
// The same samples written under the same file name give the same bytes (Ogg serials included).

#include <filesystem>
#include <span>

namespace chorus::audio {

struct WriteOptions {
  bool float_wav = false;  // .wav as 32-bit float instead of 16-bit PCM
  double quality = 0.4;    // lossy codecs: libsndfile's 0 (smallest) .. 1 (best)
};

// Written atomically. Opus only supports 8, 12, 16, 24 and 48 kHz; other rates are an error.
void write_audio(const std::filesystem::path& path, std::span<const float> samples, int sample_rate,
                 const WriteOptions& options = {});

}  // namespace chorus::audio
