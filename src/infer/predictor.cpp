#include "infer/predictor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>

#include "core/buffer.hpp"
#include "core/error.hpp"
#include "features/feature_extractor.hpp"
#include "features/file_features.hpp"
#include "features/mel_spectrogram.hpp"
#include "infer/frame_pooling.hpp"

namespace chorus::infer {
namespace {

// Windows are processed this many at a time (≈ 5 minutes of 5-second chunks): memory stays the
// same for a 4-minute and a 10-hour recording. It caps infer.batch_size, whose description
// (infer_config.cpp) names it.
constexpr std::size_t kWindowsPerBlock = 64;

// Windows of a block one after another in one buffer ([window][mel][frame]), the layout of a
// batch: each batch is scored where it lies (no copy per batch, no allocation per window).
struct WindowBlock {
  int n_mels = 0;
  int n_frames = 0;
  std::size_t count = 0;
  core::Buffer<float> values;

  WindowBlock(int mels, int frames, std::size_t windows)
      : n_mels(mels), n_frames(frames), count(windows) {
    values.resize(count * plane());
  }
  std::size_t plane() const { return static_cast<std::size_t>(n_mels) * n_frames; }
  features::SpectrogramView window(std::size_t i) {
    return {n_mels, n_frames, std::span<float>(values).subspan(i * plane(), plane())};
  }
  // Windows [first, first + n), contiguous.
  std::span<const float> windows(std::size_t first, std::size_t n) const {
    return std::span<const float>(values).subspan(first * plane(), n * plane());
  }
};

// The mel power of windows [first, end) of the plan, for one model's audio and feature settings.
//
// The block's samples are read once. Each window's frames are computed from those samples as
// the file's spectrogram has them — shared by overlapping windows, the point of this mode —
// except the frames whose STFT span is not wholly inside both the window and the file: those a
// window computed alone sees differently (its own reflect padding at its edges, zeros past the
// file's), so they are computed from the window's own samples, which makes the two modes agree.
// With infer.per_window_spectrogram every frame is computed that way.
WindowBlock window_power(const WindowScorer& scorer, features::RecordingSource& recording,
                         std::int64_t length, const ChunkPlan& plan, std::size_t first,
                         std::size_t end, const PredictorOptions& o) {
  const features::MelSpectrogram mel(scorer.features(), scorer.audio().sample_rate);
  const features::StftSettings& stft = mel.stft();
  const std::int64_t window_length = plan.windows.front().end - plan.windows.front().begin;
  const int frames = static_cast<int>(mel.frame_count(window_length));

  // Samples the block's frames read, reflections about the file's edges included.
  const audio::SampleRange span{
      std::clamp<std::int64_t>(plan.windows[first].begin - stft.n_fft, 0, length),
      std::clamp<std::int64_t>(plan.windows[end - 1].end + stft.n_fft, 0, length)};
  // Every sample is written by the read: no zero-filling first.
  core::Buffer<float> samples(static_cast<std::size_t>(span.end - span.begin));
  recording.read(scorer.audio(), span, samples);

  features::StftFrames workspace(stft);
  // The file's frames under the block, once for all its (overlapping) windows.
  const bool slicing = !o.infer.per_window_spectrogram && stft.center;
  const std::int64_t n_frames = mel.frame_count(length);
  const std::int64_t block_first =
      slicing ? std::clamp<std::int64_t>(plan.windows[first].begin / stft.hop_length, 0, n_frames)
              : 0;
  const std::int64_t block_end =
      slicing ? std::clamp<std::int64_t>(plan.windows[end - 1].begin / stft.hop_length + frames, 0,
                                         n_frames)
              : 0;
  // Every frame of the block and of each window below is written: no zero-filling first.
  features::Spectrogram block =
      features::Spectrogram::uninitialized(mel.n_mels(), static_cast<int>(block_end - block_first));
  if (block_end > block_first)
    mel.compute_frames(workspace, samples, span.begin, length, block_first, block_end - block_first,
                       block.view(), 0);

  std::vector<float> padded;  // a window that reaches past the file: its samples, zero beyond
  WindowBlock windows(mel.n_mels(), frames, end - first);
  for (std::size_t w = first; w < end; ++w) {
    const SampleSpan& win = plan.windows[w];
    // The window's own samples: a view of the block's where the file covers it (the block's
    // span holds every window's), else a copy, zero past the file's edges.
    std::span<const float> x;
    if (win.begin >= span.begin && win.end <= span.end) {
      x = std::span<const float>(samples).subspan(static_cast<std::size_t>(win.begin - span.begin),
                                                  static_cast<std::size_t>(window_length));
    } else {
      padded.assign(static_cast<std::size_t>(window_length), 0.0f);
      const std::int64_t from = std::max(win.begin, span.begin), to = std::min(win.end, span.end);
      if (to > from)
        std::copy(samples.begin() + (from - span.begin), samples.begin() + (to - span.begin),
                  padded.begin() + (from - win.begin));
      x = padded;
    }
    const bool alone = !slicing || win.begin % stft.hop_length != 0;
    const features::SpectrogramView out = windows.window(w - first);
    // Where the file lies inside the window, in window samples.
    const std::int64_t file_first = std::max<std::int64_t>(0, -win.begin);
    const std::int64_t file_end = std::min<std::int64_t>(window_length, length - win.begin);
    // The file's frames (their samples the window's, no padding involved) are the block's, a
    // run of them [inside_first, inside_end); the others are computed from the window alone.
    int inside_first = frames, inside_end = frames;
    if (!alone) {
      for (int t = 0; t < frames; ++t) {
        const bool inside = stft.frame_start(t) >= file_first && stft.frame_end(t) <= file_end;
        if (inside && inside_first == frames) inside_first = t;
        if (!inside && inside_first < frames) {
          inside_end = t;
          break;
        }
      }
    }
    if (inside_first < inside_end) {
      const auto frame = static_cast<int>(win.begin / stft.hop_length + inside_first - block_first);
      for (int m = 0; m < mel.n_mels(); ++m)
        std::copy_n(&block.at(m, frame), inside_end - inside_first, &out.at(m, inside_first));
    }
    const auto compute_alone = [&](int from, int to) {
      if (to > from) mel.compute_frames(workspace, x, 0, window_length, from, to - from, out, from);
    };
    compute_alone(0, inside_first);
    compute_alone(inside_end, frames);
  }
  return windows;
}

using Clock = std::chrono::steady_clock;

// A block's windows, finished in place, to the model `batch_size` at a time: forward(input,
// offset in the block, count, n_mels, frames).
void feed_batches(const WindowScorer& scorer, WindowBlock windows, const PredictorOptions& o,
                  const std::function<void(std::span<const float>, std::size_t, std::size_t, int,
                                           int)>& forward) {
  // Each window gets its own dB floor and normalisation, as it would alone.
  const features::FeatureExtractor extractor(scorer.features(), scorer.audio().sample_rate);
  for (std::size_t i = 0; i < windows.count; ++i) extractor.finish(windows.window(i), 1);
  const auto batch = static_cast<std::size_t>(std::max(1, o.infer.batch_size));
  for (std::size_t b = 0; b < windows.count; b += batch) {
    const std::size_t count = std::min(batch, windows.count - b);
    forward(windows.windows(b, count), b, count, windows.n_mels, windows.n_frames);
  }
}

// Chunk scores from window scores: a chunk's window, or the max / mean of its windows.
ScoreMatrix chunk_scores(const ScoreMatrix& windows, const ChunkPlan& plan, Aggregate aggregate) {
  ScoreMatrix out(plan.chunks.size(), windows.cols);
  for (std::size_t c = 0; c < plan.chunks.size(); ++c) {
    const auto& ids = plan.chunks[c].windows;
    for (std::size_t k = 0; k < windows.cols; ++k) {
      float acc = aggregate == Aggregate::max ? -INFINITY : 0.0f;
      for (std::size_t w : ids)
        acc = aggregate == Aggregate::max ? std::max(acc, windows.at(w, k))
                                          : acc + windows.at(w, k) / static_cast<float>(ids.size());
      out.at(c, k) = acc;
    }
  }
  return out;
}

// Input frames of a window of `samples` samples under the scorer's feature settings.
int window_frames(const WindowScorer& scorer, std::int64_t samples) {
  const features::MelSpectrogram mel(scorer.features(), scorer.audio().sample_rate);
  return static_cast<int>(mel.frame_count(samples));
}

// SED mode: every member's frames pooled onto a grid of spans (the chunks, or the frame track).
std::map<std::string, ScoreMatrix> pool_members(const std::map<std::string, FrameOutputs>& frames,
                                                const ChunkPlan& plan, SpanGrid spans,
                                                Aggregate aggregate, int sample_rate) {
  std::map<std::string, ScoreMatrix> pooled;
  for (const auto& [name, f] : frames)
    pooled.emplace(name, pool_frames(f, plan.windows, spans, aggregate, sample_rate));
  return pooled;
}

// The frame track's step in samples: the coarsest member's output frame, so that every member
// has a frame in each step.
double frame_track_step(const std::map<std::string, FrameOutputs>& frames,
                        std::int64_t window_length) {
  double step = 0;
  for (const auto& [name, f] : frames)
    step = std::max(step,
                    static_cast<double>(window_length) / static_cast<double>(f.frames_per_window));
  return step;
}

}  // namespace

const formats::SpeciesNames& Predictor::species_names() const {
  for (const auto& [name, scorer] : members_)
    if (!scorer->species_names().empty()) return scorer->species_names();
  return members_.begin()->second->species_names();
}

Predictor::Predictor(std::map<std::string, std::shared_ptr<WindowScorer>> members,
                     PredictorOptions options)
    : members_(std::move(members)),
      options_(std::move(options)),
      ensemble_(EnsembleExpression::parse("mean(*)")) {
  CHORUS_CHECK_AS(ConfigError, !members_.empty(), "predict: no model given");
  options_.infer.validate();
  options_.postprocess.validate();
  classes_ = members_.begin()->second->classes();
  for (const auto& [name, scorer] : members_)
    CHORUS_CHECK_AS(ModelError, scorer->classes() == classes_,
                    "model '{}' has other classes than '{}' (align the class lists first)", name,
                    members_.begin()->first);
  if (options_.infer.mode == InferMode::sed) {
    // The frames are probabilities already: softmax would re-normalise them across classes.
    CHORUS_CHECK_AS(
        ConfigError, options_.postprocess.activation != Activation::softmax,
        "postprocess.activation = softmax with infer.mode = sed: a SED model's frame output is "
        "probabilities already (use sigmoid, the model's own, or none)");
    for (const auto& [name, scorer] : members_) {
      const int rate = scorer->audio().sample_rate;
      const int frames = window_frames(*scorer, std::llround(options_.infer.window_seconds * rate));
      CHORUS_CHECK_AS(ConfigError, scorer->frame_outputs(frames) > 0,
                      "infer.mode = sed: model '{}' gives one output per window, not framewise "
                      "output (use a SED "
                      "model, or infer.mode = context or sliding)",
                      name);
    }
  }
  if (!options_.ensemble.empty()) {
    ensemble_ = EnsembleExpression::parse(options_.ensemble);
    // A name that matches no member is a ConfigError now, not one per recording later: the
    // expression is evaluated once over placeholder scores of every member.
    std::map<std::string, ScoreMatrix> placeholders;
    for (const auto& [name, scorer] : members_)
      placeholders.emplace(name, ScoreMatrix(1, classes_.size(), 0.5f));
    static_cast<void>(ensemble_.evaluate(placeholders));
  }
  if (!options_.postprocess.priors.empty())
    priors_ = read_prior_factors(options_.postprocess.priors, classes_);
}

std::vector<std::string> Predictor::member_names() const {
  std::vector<std::string> names;
  for (const auto& [name, scorer] : members_) names.push_back(name);
  return names;
}

struct Predictor::MemberOutputs {
  RecordingScores recording;  // everything but the scores
  ChunkPlan plan;
  std::int64_t length = 0;                          // samples at the chunks' rate
  std::int64_t window_length = 0;                   // samples
  std::map<std::string, ScoreMatrix> chunk_scores;  // per member
  std::map<std::string, FrameOutputs> frames;       // per member, SED mode only
};

Predictor::MemberOutputs Predictor::run_members(features::RecordingSource& recording,
                                                PredictTimings* timings,
                                                const ScoredSeconds& scored) const {
  MemberOutputs out;
  RecordingScores& result = out.recording;
  result.path = recording.path();
  result.stem = recording.stem();
  const WindowScorer& reference = *members_.begin()->second;
  result.sample_rate = reference.audio().sample_rate;
  result.duration_seconds = recording.duration_seconds();
  const std::int64_t length = recording.length(result.sample_rate);
  out.length = length;
  out.plan = plan_chunks(result.stem, length, result.sample_rate, options_.infer);
  const ChunkPlan& plan = out.plan;
  for (const auto& [name, scorer] : members_)
    CHORUS_CHECK_AS(ModelError, scorer->audio().sample_rate == result.sample_rate,
                    "model '{}' works at {} Hz, model '{}' at {} Hz: chunk positions would differ",
                    name, scorer->audio().sample_rate, members_.begin()->first, result.sample_rate);
  const bool sed = options_.infer.mode == InferMode::sed;
  const std::int64_t window_length = plan.windows.front().end - plan.windows.front().begin;
  out.window_length = window_length;
  // Per member: logits per window (context, sliding) or probabilities per window frame (sed).
  std::map<std::string, ScoreMatrix> logits;
  std::map<std::string, FrameOutputs>& frames = out.frames;
  for (const auto& [name, scorer] : members_) {
    if (sed) {
      const int outputs = scorer->frame_outputs(window_frames(*scorer, window_length));
      CHORUS_DCHECK(outputs > 0);  // checked in the constructor
      frames.emplace(name, FrameOutputs(plan.windows.size(), static_cast<std::size_t>(outputs),
                                        classes_.size()));
    } else {
      logits.emplace(name, ScoreMatrix(plan.windows.size(), classes_.size()));
    }
  }
  std::map<std::string, double> model_seconds;
  std::size_t windows_scored = 0, network_calls = 0;
  // Members that share audio and mel settings share one spectrogram of each block: the last of
  // them finishes it in place, the others a copy.
  std::map<std::string, std::string> settings;  // member → its mel settings
  std::map<std::string, std::size_t> sharing;   // mel settings → members
  for (const auto& [name, scorer] : members_) {
    const auto& key = settings[name] =
        features::mel_settings_text(scorer->audio(), scorer->features());
    ++sharing[key];
  }
  for (std::size_t first = 0; first < plan.windows.size(); first += kWindowsPerBlock) {
    const std::size_t end = std::min(plan.windows.size(), first + kWindowsPerBlock);
    std::map<std::string, WindowBlock> power_by_settings;
    std::map<std::string, std::size_t> left = sharing;
    for (const auto& [name, scorer] : members_) {
      const std::string& key = settings.at(name);
      auto it = power_by_settings.find(key);
      if (it == power_by_settings.end())
        it = power_by_settings
                 .emplace(key, window_power(*scorer, recording, length, plan, first, end, options_))
                 .first;
      WindowBlock power = --left.at(key) == 0 ? std::move(it->second) : it->second;
      WindowScorer& model = *scorer;
      double& seconds = model_seconds[name];
      feed_batches(model, std::move(power), options_,
                   [&, &name = name](std::span<const float> input, std::size_t offset,
                                     std::size_t count, int n_mels, int n_frames) {
                     const auto start = Clock::now();
                     if (sed)
                       model.score_frames(input, count, n_mels, n_frames,
                                          frames.at(name).window_block(first + offset, count));
                     else
                       model.score(input, count, n_mels, n_frames,
                                   std::span<float>(logits.at(name).values)
                                       .subspan((first + offset) * classes_.size(),
                                                count * classes_.size()));
                     seconds += std::chrono::duration<double>(Clock::now() - start).count();
                     windows_scored += count;
                     ++network_calls;
                   });
    }
    if (scored)
      scored(result.duration_seconds * static_cast<double>(end) /
             static_cast<double>(plan.windows.size()));
  }
  if (timings) *timings = {model_seconds, windows_scored, network_calls};

  if (sed) {
    const auto chunk =
        static_cast<double>(plan.chunks.front().span.end - plan.chunks.front().span.begin);
    out.chunk_scores = pool_members(frames, plan, {chunk, plan.chunks.size()},
                                    options_.infer.aggregate, result.sample_rate);
  } else {
    for (auto& [name, member_logits] : logits) {
      apply_activation(member_logits, options_.postprocess.activation);
      out.chunk_scores.emplace(name, chunk_scores(member_logits, plan, options_.infer.aggregate));
    }
  }
  result.chunks = plan.chunks;
  return out;
}

PostprocessConfig Predictor::temporal_postprocess() const {
  PostprocessConfig temporal = options_.postprocess;
  temporal.activation =
      Activation::none;  // applied per member (clip output), or by the model (sed)
  return temporal;
}

// The file as infer.channel reads it: one channel, or the mean of all (infer.channel = all
// makes several recordings of a file, which only a prediction run can: it opens them itself).
features::AudioFileSource Predictor::open(const std::filesystem::path& file) const {
  const ChannelSelection channels = options_.infer.channels();
  CHORUS_CHECK_AS(ConfigError, channels.kind != ChannelSelection::Kind::each,
                  "infer.channel = all makes a recording of each channel, which only chorus "
                  "predict writes out; here choose one channel or mix");
  return features::AudioFileSource(file, channels.kind == ChannelSelection::Kind::one
                                             ? std::optional<int>(channels.index)
                                             : std::nullopt);
}

RecordingScores Predictor::predict(const std::filesystem::path& file, PredictTimings* timings,
                                   const ScoredSeconds& scored) const {
  features::AudioFileSource recording = open(file);
  return predict(recording, timings, scored);
}

RecordingScores Predictor::predict(features::RecordingSource& recording, PredictTimings* timings,
                                   const ScoredSeconds& scored) const {
  MemberOutputs out = run_members(recording, timings, scored);
  RecordingScores result = std::move(out.recording);
  if (!out.frames.empty()) {
    const double step = frame_track_step(out.frames, out.window_length);
    const auto steps = std::max<std::size_t>(
        1, static_cast<std::size_t>(std::ceil(static_cast<double>(out.length) / step)));
    result.frames.step_seconds = step / result.sample_rate;
    result.frames.scores = ensemble_.evaluate(pool_members(
        out.frames, out.plan, {step, steps}, options_.infer.aggregate, result.sample_rate));
    if (!priors_.empty()) scale_odds(result.frames.scores, priors_);
  }
  result.scores = ensemble_.evaluate(out.chunk_scores);
  postprocess(result.scores, temporal_postprocess(), priors_);
  check_scores_finite(result, classes());
  return result;
}

std::map<std::string, RecordingScores> Predictor::predict_each(
    const std::filesystem::path& file) const {
  features::AudioFileSource recording = open(file);
  return predict_each(recording);
}

std::map<std::string, RecordingScores> Predictor::predict_each(
    features::RecordingSource& recording) const {
  MemberOutputs out = run_members(recording, nullptr, {});
  std::map<std::string, RecordingScores> each;
  for (auto& [name, scores] : out.chunk_scores) {
    RecordingScores r = out.recording;
    r.scores = std::move(scores);
    postprocess(r.scores, temporal_postprocess(), priors_);
    check_scores_finite(r, classes());
    each.emplace(name, std::move(r));
  }
  return each;
}

}  // namespace chorus::infer
