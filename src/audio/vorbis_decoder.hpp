#pragma once
// Ogg Vorbis: pages and packets by libogg, decoding by FFmpeg's Vorbis decoder (libavcodec),
// 1.8–1.9× as fast as libvorbis on the same files with the same samples to float rounding.
// Positions come from the pages' granules, so seeking is sample-exact (FFmpeg's own Ogg
// demuxer stamps some blocks with wrong timestamps, BENCHMARKS.md "Features").

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

}  // namespace chorus::audio
