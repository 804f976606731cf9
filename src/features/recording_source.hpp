#pragma once
// Where the Predictor reads a recording from: an audio file, opened once and decoded a block at
// a time (formats whose seeks are not exact, MP3 and Opus, are opened afresh per block), or mono
// PCM already in memory (a library caller's samples, the way whisper.cpp's whisper_full takes
// them). Either gives the samples of any stretch at any model's rate; the Predictor computes the
// mel frames from them (infer/predictor.hpp).

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "audio/audio_config.hpp"
#include "audio/audio_decoder.hpp"
#include "audio/audio_stream.hpp"

namespace chorus::features {

class RecordingSource {
 public:
  virtual ~RecordingSource() = default;
  // The recording as results name it: the file as given, or the caller's name.
  virtual std::string path() const = 0;
  // Its name without directory and extension: the row_id prefix.
  virtual std::string stem() const = 0;
  virtual double duration_seconds() const = 0;
  // Samples of the whole recording at `sample_rate`.
  virtual std::int64_t length(int sample_rate) const = 0;
  // Samples [range.begin, range.end) of the recording at audio.sample_rate into `out` (sized
  // to the range, which lies within length()).
  virtual void read(const audio::AudioConfig& audio, audio::SampleRange range,
                    std::span<float> out) = 0;
};

class AudioFileSource final : public RecordingSource {
 public:
  // `channel` (from 0): that channel of the file alone; none: the mean of its channels.
  explicit AudioFileSource(const std::filesystem::path& file,
                           std::optional<int> channel = std::nullopt);
  std::string path() const override { return file_.string(); }
  std::string stem() const override { return file_.stem().string(); }
  double duration_seconds() const override { return decoder_->info().duration_seconds(); }
  std::int64_t length(int sample_rate) const override;
  void read(const audio::AudioConfig& audio, audio::SampleRange range,
            std::span<float> out) override;

 private:
  std::filesystem::path file_;
  std::optional<int> channel_;
  std::unique_ptr<audio::AudioDecoder> decoder_;
};

class PcmSource final : public RecordingSource {
 public:
  // `samples`: mono, finite, at `sample_rate`; `name` stands for the path in results.
  PcmSource(std::string name, std::vector<float> samples, int sample_rate);
  std::string path() const override { return name_; }
  std::string stem() const override;
  double duration_seconds() const override;
  std::int64_t length(int sample_rate) const override;
  void read(const audio::AudioConfig& audio, audio::SampleRange range,
            std::span<float> out) override;

 private:
  std::string name_;
  int sample_rate_;
  std::vector<float> samples_;
  // At each other rate a model asked for: resampled once, whole, with that model's quality.
  std::map<std::pair<int, audio::ResampleQuality>, std::vector<float>> resampled_;
};

}  // namespace chorus::features
