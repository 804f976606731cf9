#include "features/mel_stream.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace chorus::features {

MelStream::MelStream(const MelSpectrogram& mel, std::int64_t length, std::int64_t first_sample,
                     std::int64_t first_frame, std::int64_t end_frame, Spectrogram& out)
    : mel_(mel),
      workspace_(mel.stft()),
      length_(length),
      next_frame_(first_frame),
      end_frame_(end_frame),
      out_(out),
      buffer_start_(first_sample) {
  CHORUS_DCHECK(first_sample <= first_sample_needed(first_frame, length, mel.stft()));
  CHORUS_DCHECK(end_frame <= out.n_frames);
}

std::int64_t MelStream::first_sample_needed(std::int64_t frame, std::int64_t length,
                                            const StftSettings& stft) {
  const std::int64_t start = stft.frame_start(frame);
  // Reflection about the last sample reads back to 2(length−1) − (start + n_fft − 1) ≥
  // length − 1 − n_fft for any frame starting before the end.
  return std::max<std::int64_t>(0, std::min(start, length - 1 - stft.n_fft));
}

void MelStream::push(std::span<const float> samples) {
  buffer_.insert(buffer_.end(), samples.begin(), samples.end());
  compute_ready();
}

void MelStream::finish() {
  compute_ready();
  CHORUS_CHECK(next_frame_ == end_frame_,
               "mel stream: the samples pushed end before frame {} of [.., {})", next_frame_,
               end_frame_);
}

void MelStream::compute_ready() {
  const StftSettings& stft = mel_.stft();
  const std::int64_t available = buffer_start_ + static_cast<std::int64_t>(buffer_.size());
  // Frames are ready when their last sample (or the signal's last, for windows that run past
  // the end) has arrived; frames' last samples increase with the frame index.
  std::int64_t ready = next_frame_;
  while (ready < end_frame_) {
    if (std::min(stft.frame_end(ready), length_) > available) break;
    ++ready;
  }
  if (ready == next_frame_) return;
  mel_.compute_frames(workspace_, buffer_, buffer_start_, length_, next_frame_, ready - next_frame_,
                      out_.view(), next_frame_);
  next_frame_ = ready;
  // Drop what no later frame reads.
  const std::int64_t keep_from =
      std::min(available, first_sample_needed(next_frame_, length_, stft));
  if (keep_from > buffer_start_) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + (keep_from - buffer_start_));
    buffer_start_ = keep_from;
  }
}

}  // namespace chorus::features
