#include "features/file_features.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "audio/audio_stream.hpp"
#include "audio/waveform.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "features/mel_stream.hpp"

namespace chorus::features {
namespace {

// Samples read from the decoder per push: large enough to amortise the calls, small enough to
// stay in the L2 cache on their way to the FFT.
constexpr std::size_t kBlock = 16384;

struct SegmentPlan {
  audio::SampleRange samples;  // what to decode
  std::int64_t first_frame = 0;
  std::int64_t end_frame = 0;
};

// The samples frames [first_frame, end_frame) read: from the first sample the first one needs to
// the last sample the last one reads (to the end of the signal for the file's last frame).
audio::SampleRange samples_for_frames(std::int64_t first_frame, std::int64_t end_frame,
                                      std::int64_t length, std::int64_t n_frames,
                                      const StftSettings& stft) {
  audio::SampleRange r;
  r.begin = MelStream::first_sample_needed(first_frame, length, stft);
  r.end = end_frame == n_frames ? length : std::min(length, stft.frame_end(end_frame - 1));
  return r;
}

// Segment [s0, s1) owns the frames t with t·hop in it (the last segment also the frames after
// its end); it decodes from the first sample those frames read to the last.
SegmentPlan plan_for(const audio::SampleRange& segment, bool last, std::int64_t length,
                     std::int64_t n_frames, const StftSettings& stft) {
  const auto ceil_div = [](std::int64_t a, std::int64_t b) { return (a + b - 1) / b; };
  SegmentPlan plan;
  plan.first_frame = std::min(n_frames, ceil_div(segment.begin, stft.hop_length));
  plan.end_frame = last ? n_frames : std::min(n_frames, ceil_div(segment.end, stft.hop_length));
  if (plan.end_frame <= plan.first_frame) return plan;
  plan.samples = samples_for_frames(plan.first_frame, plan.end_frame, length, n_frames, stft);
  return plan;
}

// Pushes what `stream` decodes (the plan's samples) through a MelStream into `out`.
void stream_segment(audio::AudioStream& stream, const MelSpectrogram& mel, std::int64_t length,
                    const SegmentPlan& plan, Spectrogram& out,
                    const std::function<void(std::int64_t)>& on_progress) {
  if (plan.end_frame <= plan.first_frame) return;
  MelStream mel_stream(mel, length, plan.samples.begin, plan.first_frame, plan.end_frame, out);
  std::vector<float> block(kBlock);
  while (const std::size_t n = stream.read(block)) {
    mel_stream.push({block.data(), n});
    if (on_progress) on_progress(static_cast<std::int64_t>(n));
  }
  mel_stream.finish();
}

}  // namespace

std::string mel_settings_text(const audio::AudioConfig& a, const FeatureConfig& f) {
  return fmt::format(
      "[audio]\nsample_rate = {}\nresample_quality = \"{}\"\n"
      "[features]\nn_fft = {}\nwin_length = {}\nhop_length = {}\nn_mels = {}\nf_min = {}\n"
      "f_max = {}\npower = {}\nmel_scale = \"{}\"\nmel_norm = \"{}\"\ncenter = {}\n"
      "pad_mode = \"{}\"\n",
      a.sample_rate, core::enum_name(a.resample_quality), f.n_fft, f.window_samples(), f.hop_length,
      f.n_mels, f.f_min, f.f_max, f.power, core::enum_name(f.mel_scale),
      core::enum_name(f.mel_norm), f.center, core::enum_name(f.pad_mode));
}

double FileFeatures::duration_seconds() const {
  return sample_rate ? static_cast<double>(samples) / sample_rate : 0.0;
}

FileFeatures compute_file_mel(const std::filesystem::path& path, const audio::AudioConfig& config,
                              const MelSpectrogram& mel, int threads,
                              const std::function<void(std::int64_t)>& on_progress) {
  threads = core::resolve_threads(threads);
  CHORUS_CHECK_AS(ConfigError, mel.sample_rate() == config.sample_rate,
                  "features are set up for {} Hz but audio.sample_rate is {}", mel.sample_rate(),
                  config.sample_rate);
  FileFeatures result;
  audio::AudioStream whole(path, config.sample_rate, config.resample_quality);
  result.source = whole.source();
  result.sample_rate = whole.sample_rate();
  result.samples = whole.file_samples();
  const std::vector<audio::SampleRange> segments = audio::plan_segments(whole, threads);
  const std::int64_t n_frames = mel.frame_count(result.samples);
  if (segments.size() == 1 && threads > 1) {
    // Decoded in one piece (short, or a format that does not seek exactly): decode, then spread
    // the frames over the threads.
    audio::Waveform wave;
    wave.samples.resize(static_cast<std::size_t>(whole.total_samples()));
    audio::read_all(whole, wave.samples.data());
    if (on_progress) on_progress(whole.total_samples());
    result.features = mel.compute(wave.samples, threads);
    return result;
  }
  result.features = Spectrogram::uninitialized(mel.n_mels(), static_cast<int>(n_frames));
  if (segments.size() == 1) {
    // One thread: the stream opened above is the segment (short files are dominated by opening).
    stream_segment(whole, mel, result.samples,
                   plan_for(segments[0], true, result.samples, n_frames, mel.stft()),
                   result.features, on_progress);
  } else {
    core::parallel_for(segments.size(), threads, 1, [&](std::size_t first, std::size_t end) {
      for (std::size_t i = first; i < end; ++i) {
        const SegmentPlan plan =
            plan_for(segments[i], i + 1 == segments.size(), result.samples, n_frames, mel.stft());
        if (plan.end_frame <= plan.first_frame) continue;
        audio::AudioStream stream(path, config.sample_rate, config.resample_quality, plan.samples);
        stream_segment(stream, mel, result.samples, plan, result.features, on_progress);
      }
    });
  }
  return result;
}

FileFeatures compute_file_features(const std::filesystem::path& path,
                                   const audio::AudioConfig& config,
                                   const FeatureExtractor& extractor, int threads,
                                   const std::function<void(std::int64_t)>& on_progress) {
  FileFeatures result = compute_file_mel(path, config, extractor.mel(), threads, on_progress);
  extractor.finish(result.features.view(), threads);
  return result;
}

}  // namespace chorus::features
