#pragma once
// Decoding a file (or a part of it) to mono float32 at the target rate, block by block, in
// bounded memory: a 10-hour recording streams through a few hundred kilobytes of buffers. A file
// with several channels gives their mean, or one of them when asked (per-channel analysis).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "audio/audio_config.hpp"
#include "audio/audio_decoder.hpp"
#include "audio/resampler.hpp"

namespace chorus::audio {

// A part of a file's decoded signal in output samples (at the stream's rate), [begin, end);
// end < 0 means the end of the file.
struct SampleRange {
  std::int64_t begin = 0;
  std::int64_t end = -1;
};

// A FormatError naming the file when `channel` (from 0) is not one of its channels.
void check_channel(const AudioFileInfo& info, std::optional<int> channel);

class AudioStream {
 public:
  // target_rate 0 keeps the file's own rate (no resampling).
  // Output sample k of the range is sample range.begin + k of the whole file's decoded signal,
  // exactly (up to float rounding in the resampler), wherever the range starts.
  // `channel` (from 0): that channel alone instead of the mean of all; a FormatError naming the
  // file when it has no such channel.
  AudioStream(const std::filesystem::path& path, int target_rate, ResampleQuality quality,
              SampleRange range = {}, std::optional<int> channel = std::nullopt);
  // The same over a decoder opened once for several streams (one after the other, not at the
  // same time: each seeks it where it starts). `decoder` must outlive the stream.
  AudioStream(AudioDecoder& decoder, int target_rate, ResampleQuality quality,
              SampleRange range = {}, std::optional<int> channel = std::nullopt);

  const AudioFileInfo& source() const { return decoder_->info(); }
  int sample_rate() const { return target_rate_; }
  // Exact number of samples this stream yields in total.
  std::int64_t total_samples() const { return total_samples_; }
  // Samples of the whole file's decoded signal at the stream's rate.
  std::int64_t file_samples() const { return file_samples_; }
  bool seeks_exactly() const { return decoder_->seeks_exactly(); }

  // Fills `out` with the next samples; returns how many (out.size() except at the end, 0 when
  // finished). Throws FormatError for decoder errors, NaN/Inf samples and truncated files.
  std::size_t read(std::span<float> out);

 private:
  // One of `owned` (opened for this stream) and `borrowed`.
  AudioStream(std::unique_ptr<AudioDecoder> owned, AudioDecoder* borrowed, int target_rate,
              ResampleQuality quality, SampleRange range, std::optional<int> channel);
  // Decodes up to out.size() source frames (mono-mixed or the chosen channel)
  // into `out`.
  std::size_t decode_into(std::span<float> out);
  // Decodes one block and appends its (resampled) output to pending_.
  void decode_to_pending();

  std::unique_ptr<AudioDecoder> owned_;  // null when the decoder is borrowed
  AudioDecoder* decoder_;
  int target_rate_;
  std::optional<int> channel_;  // none: the mean of the channels
  std::optional<Resampler> resampler_;
  std::int64_t source_next_ = 0;  // next source frame to decode
  std::int64_t source_stop_ = 0;  // decode up to here (range end plus resampler post-roll)
  std::int64_t discard_ = 0;      // output samples of the pre-roll still to drop
  std::int64_t total_samples_ = 0;
  std::int64_t file_samples_ = 0;
  std::int64_t delivered_ = 0;
  bool decoder_done_ = false;
  std::vector<float> interleaved_;  // multi-channel frames before mixing
  std::vector<float> mono_;         // one mixed block on its way to the resampler
  std::vector<float> pending_;      // output not yet handed out
  std::size_t pending_head_ = 0;
};

}  // namespace chorus::audio
