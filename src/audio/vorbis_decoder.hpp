#pragma once
// Ogg Vorbis: pages and packets by libogg, decoding by FFmpeg's Vorbis decoder (libavcodec),
// 1.8–1.9× as fast as libvorbis on the same files with the same samples to float rounding.
// Positions come from the pages' granules, so seeking is sample-exact (FFmpeg's own Ogg
// demuxer stamps some blocks with wrong timestamps, BENCHMARKS.md "Features").

#include <filesystem>
#include <memory>
#include <span>
#include <thread>

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

// Where any of `files` is named like Ogg (.ogg, .oga, any case), loads FFmpeg's decoder on a
// thread of its own and returns that thread (joined when destroyed): mapping and relocating
// libavcodec and the ~95 libraries it needs takes about 20 ms, which then overlap with what the
// caller does next (reading the models) instead of delaying the first recording. The first
// decoder opened waits for the load.
std::jthread load_vorbis_decoder_in_background(std::span<const std::filesystem::path> files);

}  // namespace chorus::audio
