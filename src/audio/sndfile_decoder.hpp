#pragma once
// libsndfile behind the AudioDecoder interface: WAV, FLAC, Opus, MP3, AIFF and the rest.

#include "audio/audio_decoder.hpp"

struct sf_private_tag;

namespace chorus::audio {

class SndfileDecoder final : public AudioDecoder {
 public:
  explicit SndfileDecoder(const std::filesystem::path& path);
  ~SndfileDecoder() override;
  SndfileDecoder(const SndfileDecoder&) = delete;
  SndfileDecoder& operator=(const SndfileDecoder&) = delete;

  bool seeks_exactly() const override;

 private:
  std::int64_t read_frames(std::span<float> out, std::int64_t frames) override;
  void seek_to(std::int64_t frame) override;

  sf_private_tag* handle_ = nullptr;
  int major_format_ = 0;
  int subtype_ = 0;
};

}  // namespace chorus::audio
