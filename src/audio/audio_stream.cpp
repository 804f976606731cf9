#include "audio/audio_stream.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

#include "core/error.hpp"
#include "core/wording.hpp"

namespace chorus::audio {
namespace {

constexpr std::int64_t kDecodeFrames = 16384;

// Source frames decoded before a segment's start and after its end so that the resampler's
// filter (and a lossy decoder's overlap) see the real neighbouring signal: 0.25 s is far
// longer than soxr's very-high-quality filter and a Vorbis block.
std::int64_t roll_frames(int source_rate) { return source_rate / 4; }

}  // namespace

void check_channel(const AudioFileInfo& info, std::optional<int> channel) {
  CHORUS_CHECK_AS(FormatError, !channel || (*channel >= 0 && *channel < info.channels),
                  "{}: channel {} asked of a recording with {}", info.path, channel.value_or(0) + 1,
                  core::counted(info.channels, "channel"));
}

AudioStream::AudioStream(const std::filesystem::path& path, int target_rate,
                         ResampleQuality quality, SampleRange range, std::optional<int> channel)
    : AudioStream(open_audio(path), nullptr, target_rate, quality, range, channel) {}

AudioStream::AudioStream(AudioDecoder& decoder, int target_rate, ResampleQuality quality,
                         SampleRange range, std::optional<int> channel)
    : AudioStream(nullptr, &decoder, target_rate, quality, range, channel) {}

AudioStream::AudioStream(std::unique_ptr<AudioDecoder> owned, AudioDecoder* borrowed,
                         int target_rate, ResampleQuality quality, SampleRange range,
                         std::optional<int> channel)
    : owned_(std::move(owned)),
      decoder_(owned_ ? owned_.get() : borrowed),
      target_rate_(target_rate > 0 ? target_rate : decoder_->info().sample_rate),
      channel_(channel) {
  const AudioFileInfo& info = decoder_->info();
  check_channel(info, channel);
  const int in_rate = info.sample_rate;
  file_samples_ = resampled_length(info.frames, in_rate, target_rate_);
  const std::int64_t end = range.end < 0 ? file_samples_ : std::min(range.end, file_samples_);
  CHORUS_CHECK(range.begin >= 0 && range.begin <= end, "{}: invalid sample range [{}, {})",
               info.path, range.begin, range.end);
  // Source frame in_step·k is output sample out_step·k exactly. Decoding starts at the grid point
  // at or before range.begin, less a pre-roll of whole grid steps that primes the decoder and the
  // resampler with the real preceding signal; what those produce before range.begin is dropped.
  const std::int64_t g = std::gcd(in_rate, target_rate_);
  const std::int64_t in_step = in_rate / g, out_step = target_rate_ / g;
  const std::int64_t grid = range.begin / out_step;
  const std::int64_t preroll_steps =
      grid == 0 ? 0 : std::min(grid, roll_frames(in_rate) / in_step + 1);
  source_next_ = (grid - preroll_steps) * in_step;
  if (decoder_->position() != source_next_) decoder_->seek(source_next_);
  discard_ = range.begin - (grid - preroll_steps) * out_step;
  const bool resample = target_rate_ != in_rate;
  // The source frame just past the last output sample wanted, plus the resampler's post-roll.
  const std::int64_t source_end =
      std::min(info.frames, (end * in_rate + target_rate_ - 1) / target_rate_);
  source_stop_ = resample ? std::min(info.frames, source_end + roll_frames(in_rate)) : source_end;
  total_samples_ = end - range.begin;
  if (resample) resampler_.emplace(info.sample_rate, target_rate_, quality);
  interleaved_.resize(static_cast<std::size_t>(kDecodeFrames * info.channels));
  mono_.resize(kDecodeFrames);
}

std::size_t AudioStream::decode_into(std::span<float> out) {
  const AudioFileInfo& info = decoder_->info();
  const auto want =
      std::min<std::int64_t>(static_cast<std::int64_t>(out.size()), source_stop_ - source_next_);
  const int channels = info.channels;
  // Mono decodes straight into `out`; other layouts go through interleaved_, a block at a time.
  const std::int64_t asked = channels == 1 ? want : std::min(want, kDecodeFrames);
  std::int64_t got = 0;
  if (channels == 1) {
    got = asked > 0 ? decoder_->read(out, asked) : 0;
  } else if (channel_) {
    got = asked > 0 ? decoder_->read(interleaved_, asked) : 0;
    for (std::int64_t i = 0; i < got; ++i) out[i] = interleaved_[i * channels + *channel_];
  } else {
    got = asked > 0 ? decoder_->read(interleaved_, asked) : 0;
    for (std::int64_t i = 0; i < got; ++i) {
      float sum = 0.0f;
      for (int c = 0; c < channels; ++c) sum += interleaved_[i * channels + c];
      out[i] = sum / static_cast<float>(channels);
    }
  }
  CHORUS_CHECK_AS(FormatError, got == asked,
                  "{}: truncated: the header announces {} frames but decoding ends at frame {}",
                  info.path, info.frames, source_next_ + got);
  source_next_ += got;
  if (source_next_ >= source_stop_) decoder_done_ = true;
  return static_cast<std::size_t>(got);
}

void AudioStream::decode_to_pending() {
  const std::size_t got = decode_into(mono_);
  const std::span<const float> block(mono_.data(), got);
  if (resampler_) {
    resampler_->process(block, pending_);
    if (decoder_done_) resampler_->flush(pending_);
  } else {
    pending_.insert(pending_.end(), block.begin(), block.end());
  }
}

std::size_t AudioStream::read(std::span<float> out) {
  std::size_t written = 0;
  while (written < out.size() && delivered_ < total_samples_) {
    const auto wanted = static_cast<std::size_t>(std::min<std::int64_t>(
        static_cast<std::int64_t>(out.size() - written), total_samples_ - delivered_));
    if (pending_head_ < pending_.size()) {
      if (discard_ > 0) {
        const auto skip = std::min<std::int64_t>(discard_, pending_.size() - pending_head_);
        pending_head_ += static_cast<std::size_t>(skip);
        discard_ -= skip;
        continue;
      }
      const std::size_t n = std::min(wanted, pending_.size() - pending_head_);
      std::copy_n(pending_.begin() + pending_head_, n, out.begin() + written);
      pending_head_ += n;
      written += n;
      delivered_ += static_cast<std::int64_t>(n);
      continue;
    }
    pending_.clear();
    pending_head_ = 0;
    if (decoder_done_) {
      // soxr can end a few samples short of ceil(n · ratio); the signal there is silence.
      std::fill_n(out.begin() + written, wanted, 0.0f);
      written += wanted;
      delivered_ += static_cast<std::int64_t>(wanted);
    } else if (!resampler_ && discard_ == 0) {
      // Same rate, nothing to drop: decode straight into the caller's buffer.
      const std::size_t n = decode_into(out.subspan(written, wanted));
      written += n;
      delivered_ += static_cast<std::int64_t>(n);
    } else {
      decode_to_pending();
    }
  }
  return written;
}

}  // namespace chorus::audio
