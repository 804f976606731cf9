#pragma once
// Ogg Vorbis through libvorbisfile: sample-exact seeking, and no conversion layer between the
// decoder's float output and chorus (libsndfile's costs 20–45 % on long files).

#include <memory>

#include "audio/audio_decoder.hpp"

namespace chorus::audio {

class VorbisDecoder final : public AudioDecoder {
 public:
  explicit VorbisDecoder(const std::filesystem::path& path);
  ~VorbisDecoder() override;
  VorbisDecoder(const VorbisDecoder&) = delete;
  VorbisDecoder& operator=(const VorbisDecoder&) = delete;

  bool seeks_exactly() const override { return true; }

 private:
  std::int64_t read_frames(std::span<float> out, std::int64_t frames) override;
  void seek_to(std::int64_t frame) override;

  struct Handle;
  std::unique_ptr<Handle> handle_;
};

// Whether the first page of `path` starts an Ogg stream whose first packet is a Vorbis
// identification header.
bool is_ogg_vorbis(const std::filesystem::path& path);

// Whether the file ends with a complete Ogg page carrying the end-of-stream flag; a file cut
// short (a recorder losing power, a partial download) does not.
bool ogg_stream_is_complete(const std::filesystem::path& path);

}  // namespace chorus::audio
