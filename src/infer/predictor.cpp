#include "infer/predictor.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "audio/waveform.hpp"
#include "core/error.hpp"
#include "features/feature_extractor.hpp"
#include "features/file_features.hpp"

namespace chorus::infer {
namespace {

// The finished features of one window [n_mels × frames], from the file's mel power: columns
// before the file's first frame or after its last are zero power (silence), as in a window whose
// samples past the edge are zeros.
features::Spectrogram slice_window(const features::Spectrogram& power, std::int64_t first_frame,
                                   int frames) {
  features::Spectrogram out(power.n_bins, frames);
  const std::int64_t from = std::max<std::int64_t>(0, first_frame);
  const std::int64_t to = std::min<std::int64_t>(power.n_frames, first_frame + frames);
  for (int b = 0; b < power.n_bins; ++b)
    for (std::int64_t t = from; t < to; ++t)
      out.at(b, static_cast<int>(t - first_frame)) = power.at(b, static_cast<int>(t));
  return out;
}

// The window's samples, zero where it reaches past the file.
std::vector<float> window_samples(std::span<const float> signal, const SampleSpan& w) {
  std::vector<float> out(static_cast<std::size_t>(w.end - w.begin), 0.0f);
  const std::int64_t from = std::max<std::int64_t>(0, w.begin);
  const std::int64_t to = std::min<std::int64_t>(static_cast<std::int64_t>(signal.size()), w.end);
  for (std::int64_t i = from; i < to; ++i) out[static_cast<std::size_t>(i - w.begin)] = signal[static_cast<std::size_t>(i)];
  return out;
}

// The mel power of every window of the plan, for one model's audio and feature settings.
std::vector<features::Spectrogram> window_power(const WindowScorer& scorer, const std::filesystem::path& file,
                                                const ChunkPlan& plan, const PredictorOptions& o) {
  const features::MelSpectrogram mel(scorer.features(), scorer.audio().sample_rate);
  const features::StftSettings& stft = mel.stft();
  // Every window has the same length; its frame count is what the STFT gives for it.
  const std::int64_t window_length = plan.windows.front().end - plan.windows.front().begin;
  const int frames = static_cast<int>(mel.frame_count(window_length));
  const bool slice = !o.infer.per_window_spectrogram && stft.center;
  std::vector<features::Spectrogram> windows;
  if (slice) {
    const features::FileFeatures power = features::compute_file_mel(file, scorer.audio(), mel, o.threads);
    for (const SampleSpan& w : plan.windows) {
      CHORUS_CHECK_AS(ConfigError, w.begin % stft.hop_length == 0,
                      "windows start every {} samples, not a multiple of features.hop_length = {}; set "
                      "infer.per_window_spectrogram = true", w.begin, stft.hop_length);
      windows.push_back(slice_window(power.features, w.begin / stft.hop_length, frames));
    }
  } else {
    const audio::Waveform wave = audio::load_audio(file, scorer.audio(), o.threads);
    for (const SampleSpan& w : plan.windows) windows.push_back(mel.compute(window_samples(wave.samples, w), 1));
  }
  return windows;
}

// One member's chunk scores (activation applied), from the windows' mel power.
ScoreMatrix member_scores(WindowScorer& scorer, std::vector<features::Spectrogram> windows,
                          const ChunkPlan& plan, const PredictorOptions& o) {
  // Each window gets its own dB floor and normalisation, as it would alone.
  const features::FeatureExtractor extractor(scorer.features(), scorer.audio().sample_rate);
  for (auto& w : windows) extractor.finish(w, 1);
  const int frames = windows.front().n_frames;
  const std::size_t n_classes = scorer.classes().size();
  ScoreMatrix window_scores(windows.size(), n_classes);
  const auto batch = static_cast<std::size_t>(std::max(1, o.batch_size));
  std::vector<float> input;
  for (std::size_t first = 0; first < windows.size(); first += batch) {
    const std::size_t count = std::min(batch, windows.size() - first);
    input.clear();
    for (std::size_t i = first; i < first + count; ++i) input.insert(input.end(), windows[i].values.begin(), windows[i].values.end());
    scorer.score(input, count, windows[first].n_bins, frames,
                 std::span<float>(window_scores.values).subspan(first * n_classes, count * n_classes));
  }
  apply_activation(window_scores, o.postprocess.activation);

  ScoreMatrix chunk_scores(plan.chunks.size(), n_classes);
  for (std::size_t c = 0; c < plan.chunks.size(); ++c) {
    const auto& ids = plan.chunks[c].windows;
    for (std::size_t k = 0; k < n_classes; ++k) {
      float acc = o.infer.aggregate == "max" ? -INFINITY : 0.0f;
      for (std::size_t w : ids)
        acc = o.infer.aggregate == "max" ? std::max(acc, window_scores.at(w, k))
                                         : acc + window_scores.at(w, k) / static_cast<float>(ids.size());
      chunk_scores.at(c, k) = acc;
    }
  }
  return chunk_scores;
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
  // Members that share audio and mel settings share one spectrogram of the file.
  std::map<std::string, std::vector<features::Spectrogram>> power_by_settings;
  std::map<std::string, ScoreMatrix> scores;
  for (const auto& [name, scorer] : members_) {
    CHORUS_CHECK_AS(ModelError, scorer->audio().sample_rate == result.sample_rate,
                    "model '{}' works at {} Hz, model '{}' at {} Hz: chunk positions would differ", name,
                    scorer->audio().sample_rate, members_.begin()->first, result.sample_rate);
    const std::string key = features::mel_settings_text(scorer->audio(), scorer->features());
    auto it = power_by_settings.find(key);
    if (it == power_by_settings.end())
      it = power_by_settings.emplace(key, window_power(*scorer, file, plan, options_)).first;
    scores.emplace(name, member_scores(*scorer, it->second, plan, options_));
  }
  result.scores = ensemble_.evaluate(scores);
  PostprocessConfig temporal = options_.postprocess;
  temporal.activation = "none";  // applied per member above
  postprocess(result.scores, temporal, priors_);
  result.chunks = plan.chunks;
  return result;
}

}  // namespace chorus::infer
