#include "audio/audio_stream.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"

namespace chorus::audio {
namespace {

constexpr std::int64_t kDecodeFrames = 16384;

// Source frames decoded before a segment's start and after its end so that the resampler's
// filter (and a lossy decoder's overlap) see the real neighbouring signal: 0.25 s is far
// longer than soxr's very-high-quality filter and a Vorbis block.
std::int64_t roll_frames(int source_rate) { return source_rate / 4; }

}  // namespace

AudioStream::AudioStream(const std::filesystem::path& path, int target_rate,
                         std::string_view quality, FrameRange range)
    : file_(path), target_rate_(target_rate > 0 ? target_rate : file_.info().sample_rate) {
  const AudioFileInfo& info = file_.info();
  const std::int64_t end = range.end < 0 ? info.frames : std::min(range.end, info.frames);
  CHORUS_CHECK(range.begin >= 0 && range.begin <= end, "{}: invalid frame range [{}, {})",
               info.path, range.begin, range.end);
  const bool resample = target_rate_ != info.sample_rate;
  std::int64_t preroll = 0;
  if (range.begin > 0) {
    // Start earlier and drop what the pre-roll produces. The pre-roll must map to a whole
    // number of output samples, so it is a multiple of in_rate / gcd(in_rate, out_rate).
    const std::int64_t step = info.sample_rate / std::gcd(info.sample_rate, target_rate_);
    preroll = std::min(range.begin, (roll_frames(info.sample_rate) / step + 1) * step);
    file_.seek(range.begin - preroll);
  }
  source_next_ = range.begin - preroll;
  source_stop_ = resample ? std::min(info.frames, end + roll_frames(info.sample_rate)) : end;
  discard_ = resampled_length(preroll, info.sample_rate, target_rate_);
  total_samples_ = resampled_length(end - range.begin, info.sample_rate, target_rate_);
  if (resample) resampler_.emplace(info.sample_rate, target_rate_, quality);
  interleaved_.resize(static_cast<std::size_t>(kDecodeFrames * info.channels));
  mono_.resize(kDecodeFrames);
}

void AudioStream::decode_more() {
  const AudioFileInfo& info = file_.info();
  const std::int64_t want = std::min(kDecodeFrames, source_stop_ - source_next_);
  std::int64_t got = want > 0 ? file_.read(interleaved_, want) : 0;
  CHORUS_CHECK_AS(FormatError, got == want,
                  "{}: truncated: the header announces {} frames but decoding ends at frame {}",
                  info.path, info.frames, source_next_ + got);
  const int channels = info.channels;
  for (std::int64_t i = 0; i < got; ++i) {
    float sum = 0.0f;
    for (int c = 0; c < channels; ++c) sum += interleaved_[i * channels + c];
    const float v = channels == 1 ? sum : sum / static_cast<float>(channels);
    CHORUS_CHECK_AS(FormatError, std::isfinite(v), "{}: sample {} (at {:.3f} s) is {}",
                    info.path, source_next_ + i,
                    static_cast<double>(source_next_ + i) / info.sample_rate,
                    std::isnan(v) ? "NaN" : "infinite");
    mono_[i] = v;
  }
  source_next_ += got;
  const std::span<const float> block(mono_.data(), static_cast<std::size_t>(got));
  if (resampler_) {
    resampler_->process(block, pending_);
  } else {
    pending_.insert(pending_.end(), block.begin(), block.end());
  }
  if (source_next_ >= source_stop_) {
    if (resampler_) resampler_->flush(pending_);
    decoder_done_ = true;
  }
}

std::size_t AudioStream::read(std::span<float> out) {
  std::size_t written = 0;
  while (written < out.size() && delivered_ < total_samples_) {
    if (pending_head_ == pending_.size()) {
      pending_.clear();
      pending_head_ = 0;
      if (decoder_done_) {
        // soxr can end a few samples short of ceil(n * ratio); the signal there is silence.
        const auto missing = static_cast<std::size_t>(
            std::min<std::int64_t>(total_samples_ - delivered_, out.size() - written));
        std::fill_n(out.begin() + written, missing, 0.0f);
        written += missing;
        delivered_ += static_cast<std::int64_t>(missing);
        break;
      }
      decode_more();
      continue;
    }
    if (discard_ > 0) {
      const auto skip = std::min<std::int64_t>(discard_, pending_.size() - pending_head_);
      pending_head_ += static_cast<std::size_t>(skip);
      discard_ -= skip;
      continue;
    }
    const auto n = static_cast<std::size_t>(std::min<std::int64_t>(
        {static_cast<std::int64_t>(out.size() - written),
         static_cast<std::int64_t>(pending_.size() - pending_head_), total_samples_ - delivered_}));
    std::copy_n(pending_.begin() + pending_head_, n, out.begin() + written);
    pending_head_ += n;
    written += n;
    delivered_ += static_cast<std::int64_t>(n);
  }
  return written;
}

}  // namespace chorus::audio
