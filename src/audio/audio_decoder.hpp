#pragma once
// An audio file opened for decoding. Two implementations behind one interface:
//   - for Ogg Vorbis, the format of BirdCLEF and most archives: libogg's pages and FFmpeg's
//     Vorbis decoder, 1.8–1.9× as fast as libvorbis, which libsndfile wraps
//     (vorbis_decoder.hpp, docs/architecture.md, BENCHMARKS.md);
//   - libsndfile for everything else (WAV, FLAC, Opus, MP3, AIFF, …).
// Every failure is an error that names the file and the problem.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

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

class AudioDecoder {
 public:
  virtual ~AudioDecoder() = default;
  const AudioFileInfo& info() const { return info_; }

  // Reads up to `frames` interleaved frames into `out` (frames × channels floats). Returns the
  // number read; fewer than asked only at the end of the data. Decoder errors throw, and so do
  // samples that are not sound (check_samples): every decoded sample passes through here.
  std::int64_t read(std::span<float> out, std::int64_t frames);

  // Positions the next read at `frame`.
  void seek(std::int64_t frame) {
    seek_to(frame);
    position_ = frame;
  }

  // The frame the next read starts at.
  std::int64_t position() const { return position_; }

  // Whether decoding after a seek gives the same samples as decoding from the start (given a
  // short pre-roll, which AudioStream always decodes). Only such files are decoded in parallel
  // segments; tests check each format that claims it.
  virtual bool seeks_exactly() const = 0;

 protected:
  virtual std::int64_t read_frames(std::span<float> out, std::int64_t frames) = 0;
  virtual void seek_to(std::int64_t frame) = 0;

  AudioFileInfo info_;

 private:
  std::int64_t position_ = 0;
};

// The sample rates a recording may have: from telephone-band archives to ultrasonic bat
// detectors. A header outside them is damage, and honouring it would multiply the work (a 64 KB
// file "at 1 Hz" resampled to 32 kHz is 1 GB of samples).
inline constexpr int kMinSampleRate = 1000;
inline constexpr int kMaxSampleRate = 1000000;

// Decoded float samples beyond this magnitude (120 dB above full scale; float audio is nominally
// within ±1) are damage, not sound: squared in a spectrogram they overflow float32 to inf.
inline constexpr float kMaxSampleMagnitude = 1e6f;

// A FormatError naming `info.path`, the frame and its time when an interleaved block read at
// frame `first_frame` holds a NaN, an infinity or a sample beyond ±kMaxSampleMagnitude.
void check_samples(const AudioFileInfo& info, std::int64_t first_frame,
                   std::span<const float> samples);

// Opens `path` with the decoder for its format. Missing, unreadable, empty, unrecognised,
// truncated and header-only files are errors, and so are sample rates outside
// [kMinSampleRate, kMaxSampleRate].
std::unique_ptr<AudioDecoder> open_audio(const std::filesystem::path& path);

}  // namespace chorus::audio
