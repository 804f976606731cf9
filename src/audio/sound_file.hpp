#pragma once
// An audio file opened for reading through libsndfile (WAV, FLAC, OGG Vorbis, Opus, MP3, …),
// with every failure turned into an error that names the file and the problem.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

struct sf_private_tag;

namespace chorus::audio {

struct AudioFileInfo {
  std::string path;
  std::string format;    // container, e.g. "OGG (OGG Container format)"
  std::string encoding;  // e.g. "Vorbis", "Signed 16 bit PCM"
  std::int64_t frames = 0;
  int sample_rate = 0;
  int channels = 0;
  double duration_seconds() const { return sample_rate ? double(frames) / sample_rate : 0.0; }
};

class SoundFile {
 public:
  explicit SoundFile(const std::filesystem::path& path);
  ~SoundFile();
  SoundFile(const SoundFile&) = delete;
  SoundFile& operator=(const SoundFile&) = delete;

  const AudioFileInfo& info() const { return info_; }

  // Reads up to `frames` interleaved frames into `out` (frames × channels floats). Returns the
  // number read; fewer than asked only at the end of the data. Decoder errors throw.
  std::int64_t read(std::span<float> out, std::int64_t frames);

  // Positions the next read at `frame`. Exact for the formats chorus seeks in (see
  // `seeks_exactly`).
  void seek(std::int64_t frame);

  // Whether decoding from a seek position gives the same samples as decoding from the start
  // (after a warm-up pre-roll). True for PCM, FLAC and Vorbis; checked in tests.
  bool seeks_exactly() const;

 private:
  sf_private_tag* handle_ = nullptr;
  AudioFileInfo info_;
  int major_format_ = 0;
  int subtype_ = 0;
};

}  // namespace chorus::audio
