#include "features/recording_source.hpp"

#include <algorithm>
#include <cmath>

#include "audio/resampler.hpp"
#include "audio/waveform.hpp"
#include "core/error.hpp"

namespace chorus::features {

AudioFileSource::AudioFileSource(const std::filesystem::path& file, std::optional<int> channel)
    : file_(file), channel_(channel), decoder_(audio::open_audio(file)) {
  // Checked now rather than at the first read, so a missing channel fails before any scoring.
  audio::check_channel(decoder_->info(), channel);
}

std::int64_t AudioFileSource::length(int sample_rate) const {
  const audio::AudioFileInfo& info = decoder_->info();
  return audio::resampled_length(info.frames, info.sample_rate, sample_rate);
}

void AudioFileSource::read(const audio::AudioConfig& audio, audio::SampleRange range,
                           std::span<float> out) {
  CHORUS_DCHECK(static_cast<std::int64_t>(out.size()) == range.end - range.begin);
  if (out.empty()) return;
  if (!decoder_->seeks_exactly()) {
    // What such a decoder (MP3, Opus) gives after a seek depends on what it decoded before, so
    // each read opens the file afresh: the same samples whatever was read earlier.
    audio::AudioStream stream(file_, audio.sample_rate, audio.resample_quality, range, channel_);
    audio::read_all(stream, out.data());
    return;
  }
  audio::AudioStream stream(*decoder_, audio.sample_rate, audio.resample_quality, range, channel_);
  audio::read_all(stream, out.data());
}

PcmSource::PcmSource(std::string name, std::vector<float> samples, int sample_rate)
    : name_(std::move(name)), sample_rate_(sample_rate), samples_(std::move(samples)) {
  CHORUS_CHECK_AS(ConfigError, sample_rate >= 1000 && sample_rate <= 384000,
                  "{}: sample rate {} Hz (expected 1000..384000)", name_, sample_rate);
  CHORUS_CHECK_AS(FormatError, !samples_.empty(), "{}: no samples", name_);
  const auto bad =
      std::find_if(samples_.begin(), samples_.end(), [](float x) { return !std::isfinite(x); });
  CHORUS_CHECK_AS(FormatError, bad == samples_.end(), "{}: sample {} is not finite ({})", name_,
                  bad - samples_.begin(), *bad);
}

std::string PcmSource::stem() const { return std::filesystem::path(name_).stem().string(); }

double PcmSource::duration_seconds() const {
  return static_cast<double>(samples_.size()) / sample_rate_;
}

std::int64_t PcmSource::length(int sample_rate) const {
  return audio::resampled_length(static_cast<std::int64_t>(samples_.size()), sample_rate_,
                                 sample_rate);
}

void PcmSource::read(const audio::AudioConfig& audio, audio::SampleRange range,
                     std::span<float> out) {
  const std::vector<float>* samples = &samples_;
  if (audio.sample_rate != sample_rate_) {
    const std::pair key{audio.sample_rate, audio.resample_quality};
    auto it = resampled_.find(key);
    if (it == resampled_.end())
      it = resampled_
               .emplace(key, audio::resample(samples_, sample_rate_, audio.sample_rate,
                                             audio.resample_quality))
               .first;
    samples = &it->second;
  }
  CHORUS_DCHECK(range.begin >= 0 && range.end <= static_cast<std::int64_t>(samples->size()));
  std::copy(samples->begin() + range.begin, samples->begin() + range.end, out.begin());
}

}  // namespace chorus::features
