#include "infer/predictor.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "audio/audio_stream.hpp"
#include "audio/waveform.hpp"
#include "core/error.hpp"
#include "features/feature_extractor.hpp"
#include "features/file_features.hpp"

namespace chorus::infer {
namespace {

// Windows are processed this many at a time (≈ 5 minutes of 5-second chunks): memory stays the
// same for a 4-minute and a 10-hour recording.
constexpr std::size_t kWindowsPerBlock = 64;

// The mel power of windows [first, end) of the plan, for one model's audio and feature settings.
//
// The block's samples are decoded once. Each window's frames are computed from those samples as
// the file's spectrogram has them — shared by overlapping windows, the point of this mode —
// except the frames whose STFT span is not wholly inside both the window and the file: those a
// window computed alone sees differently (its own reflect padding at its edges, zeros past the
// file's), so they are computed from the window's own samples, which makes the two modes agree.
// With infer.per_window_spectrogram every frame is computed that way.
std::vector<features::Spectrogram> window_power(const WindowScorer& scorer, const std::filesystem::path& file,
                                                std::int64_t length, const ChunkPlan& plan, std::size_t first,
                                                std::size_t end, const PredictorOptions& o) {
  const features::MelSpectrogram mel(scorer.features(), scorer.audio().sample_rate);
  const features::StftSettings& stft = mel.stft();
  const std::int64_t window_length = plan.windows.front().end - plan.windows.front().begin;
  const int frames = static_cast<int>(mel.frame_count(window_length));
  const std::int64_t pad = stft.center ? stft.n_fft / 2 : 0;

  // Samples the block's frames read, reflections about the file's edges included.
  const audio::SampleRange span{std::clamp<std::int64_t>(plan.windows[first].begin - stft.n_fft, 0, length),
                                std::clamp<std::int64_t>(plan.windows[end - 1].end + stft.n_fft, 0, length)};
  std::vector<float> samples(static_cast<std::size_t>(span.end - span.begin));
  if (!samples.empty()) {
    audio::AudioStream stream(file, scorer.audio().sample_rate, scorer.audio().resample_quality, span);
    audio::read_all(stream, samples.data());
  }

  features::StftFrames workspace(stft);
  // The file's frames under the block, once for all its (overlapping) windows.
  const bool slicing = !o.infer.per_window_spectrogram && stft.center;
  const std::int64_t n_frames = mel.frame_count(length);
  const std::int64_t block_first = slicing ? std::clamp<std::int64_t>(plan.windows[first].begin / stft.hop_length, 0, n_frames) : 0;
  const std::int64_t block_end =
      slicing ? std::clamp<std::int64_t>(plan.windows[end - 1].begin / stft.hop_length + frames, 0, n_frames) : 0;
  features::Spectrogram block(mel.n_mels(), static_cast<int>(block_end - block_first));
  if (block_end > block_first)
    mel.compute_frames(workspace, samples, span.begin, length, block_first, block_end - block_first, block, 0);

  std::vector<float> spectrum(static_cast<std::size_t>(workspace.n_freqs()));
  std::vector<float> column(static_cast<std::size_t>(mel.n_mels()));
  std::vector<features::Spectrogram> windows;
  for (std::size_t w = first; w < end; ++w) {
    const SampleSpan& win = plan.windows[w];
    // The window's own samples: the file's, zero past its edges.
    std::vector<float> x(static_cast<std::size_t>(window_length), 0.0f);
    for (std::int64_t i = std::max(win.begin, span.begin); i < std::min(win.end, span.end); ++i)
      x[static_cast<std::size_t>(i - win.begin)] = samples[static_cast<std::size_t>(i - span.begin)];
    const bool alone = !slicing || win.begin % stft.hop_length != 0;
    features::Spectrogram out(mel.n_mels(), frames);
    // Where the file lies inside the window, in window samples.
    const std::int64_t file_first = std::max<std::int64_t>(0, -win.begin);
    const std::int64_t file_end = std::min<std::int64_t>(window_length, length - win.begin);
    for (int t = 0; t < frames; ++t) {
      const std::int64_t from = t * stft.hop_length - pad, to = from + stft.n_fft;
      const bool inside = from >= file_first && to <= file_end;
      if (!alone && inside) {
        // The file's frame (its samples are the window's, no padding involved).
        const auto frame = static_cast<int>(win.begin / stft.hop_length + t - block_first);
        for (int m = 0; m < mel.n_mels(); ++m) out.at(m, t) = block.at(m, frame);
        continue;
      }
      workspace.compute(x, t, spectrum.data());
      mel.filterbank().apply(spectrum.data(), column.data());
      for (int m = 0; m < mel.n_mels(); ++m) out.at(m, t) = column[static_cast<std::size_t>(m)];
    }
    windows.push_back(std::move(out));
  }
  return windows;
}

// One member's logits for a block of windows (rows first … first + windows.size()).
void score_windows(WindowScorer& scorer, std::vector<features::Spectrogram> windows, std::size_t first,
                   const PredictorOptions& o, ScoreMatrix& logits) {
  // Each window gets its own dB floor and normalisation, as it would alone.
  const features::FeatureExtractor extractor(scorer.features(), scorer.audio().sample_rate);
  for (auto& w : windows) extractor.finish(w, 1);
  const std::size_t n_classes = logits.cols;
  const auto batch = static_cast<std::size_t>(std::max(1, o.infer.batch_size));
  std::vector<float> input;
  for (std::size_t b = 0; b < windows.size(); b += batch) {
    const std::size_t count = std::min(batch, windows.size() - b);
    input.clear();
    for (std::size_t i = b; i < b + count; ++i) input.insert(input.end(), windows[i].values.begin(), windows[i].values.end());
    scorer.score(input, count, windows[b].n_bins, windows[b].n_frames,
                 std::span<float>(logits.values).subspan((first + b) * n_classes, count * n_classes));
  }
}

// Chunk scores from window scores: a chunk's window, or the max / mean of its windows.
ScoreMatrix chunk_scores(const ScoreMatrix& windows, const ChunkPlan& plan, const std::string& aggregate) {
  ScoreMatrix out(plan.chunks.size(), windows.cols);
  for (std::size_t c = 0; c < plan.chunks.size(); ++c) {
    const auto& ids = plan.chunks[c].windows;
    for (std::size_t k = 0; k < windows.cols; ++k) {
      float acc = aggregate == "max" ? -INFINITY : 0.0f;
      for (std::size_t w : ids)
        acc = aggregate == "max" ? std::max(acc, windows.at(w, k)) : acc + windows.at(w, k) / static_cast<float>(ids.size());
      out.at(c, k) = acc;
    }
  }
  return out;
}

}  // namespace

Predictor::Predictor(std::map<std::string, std::shared_ptr<WindowScorer>> members, PredictorOptions options)
    : members_(std::move(members)),
      options_(std::move(options)),
      ensemble_(EnsembleExpression::parse("mean(*)")) {
  CHORUS_CHECK_AS(ConfigError, !members_.empty(), "predict: no model given");
  options_.infer.validate();
  options_.postprocess.validate();
  CHORUS_CHECK_AS(ConfigError, options_.infer.mode != "sed",
                  "infer.mode = sed needs a SED model's framewise output, which no model provides yet");
  classes_ = members_.begin()->second->classes();
  for (const auto& [name, scorer] : members_)
    CHORUS_CHECK_AS(ModelError, scorer->classes() == classes_,
                    "model '{}' has other classes than '{}' (align the class lists first)", name,
                    members_.begin()->first);
  if (!options_.ensemble.empty()) ensemble_ = EnsembleExpression::parse(options_.ensemble);
  if (!options_.postprocess.priors.empty()) priors_ = read_prior_factors(options_.postprocess.priors, classes_);
}

RecordingScores Predictor::predict(const std::filesystem::path& file) const {
  RecordingScores result;
  result.path = file.string();
  result.stem = file.stem().string();
  const WindowScorer& reference = *members_.begin()->second;
  const audio::AudioFileInfo info = audio::open_audio(file)->info();
  result.sample_rate = reference.audio().sample_rate;
  result.duration_seconds = info.duration_seconds();
  const std::int64_t length = audio::resampled_length(info.frames, info.sample_rate, result.sample_rate);
  const ChunkPlan plan = plan_chunks(result.stem, length, result.sample_rate, options_.infer);
  for (const auto& [name, scorer] : members_)
    CHORUS_CHECK_AS(ModelError, scorer->audio().sample_rate == result.sample_rate,
                    "model '{}' works at {} Hz, model '{}' at {} Hz: chunk positions would differ", name,
                    scorer->audio().sample_rate, members_.begin()->first, result.sample_rate);
  std::map<std::string, ScoreMatrix> logits;
  for (const auto& [name, scorer] : members_)
    logits.emplace(name, ScoreMatrix(plan.windows.size(), classes_.size()));
  for (std::size_t first = 0; first < plan.windows.size(); first += kWindowsPerBlock) {
    const std::size_t end = std::min(plan.windows.size(), first + kWindowsPerBlock);
    // Members that share audio and mel settings share one spectrogram of the block.
    std::map<std::string, std::vector<features::Spectrogram>> power_by_settings;
    for (const auto& [name, scorer] : members_) {
      const std::string key = features::mel_settings_text(scorer->audio(), scorer->features());
      auto it = power_by_settings.find(key);
      if (it == power_by_settings.end())
        it = power_by_settings.emplace(key, window_power(*scorer, file, length, plan, first, end, options_)).first;
      score_windows(*scorer, it->second, first, options_, logits.at(name));
    }
  }
  std::map<std::string, ScoreMatrix> scores;
  for (auto& [name, member_logits] : logits) {
    apply_activation(member_logits, options_.postprocess.activation);
    scores.emplace(name, chunk_scores(member_logits, plan, options_.infer.aggregate));
  }
  result.scores = ensemble_.evaluate(scores);
  PostprocessConfig temporal = options_.postprocess;
  temporal.activation = "none";  // applied per member above
  postprocess(result.scores, temporal, priors_);
  result.chunks = plan.chunks;
  return result;
}

}  // namespace chorus::infer
