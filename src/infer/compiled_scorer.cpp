#include "infer/compiled_scorer.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "checkpoint/checkpoint_metadata.hpp"
#include "checkpoint/float_tensors.hpp"
#include "checkpoint/safetensors_header.hpp"
#include "core/error.hpp"
#include "graph/threads.hpp"

namespace chorus::infer {

CompiledScorer::CompiledScorer(std::shared_ptr<graph::CompiledModel> model, Metadata metadata)
    : model_(std::move(model)), metadata_(std::move(metadata)) {
  CHORUS_CHECK_AS(ModelError, model_->description().in_channels == 1,
                  "{}: the model expects {} input channels; log-mel windows have 1",
                  metadata_.source, model_->description().in_channels);
  CHORUS_CHECK_AS(ModelError,
                  model_->classes() == static_cast<std::int64_t>(metadata_.classes.size()),
                  "{}: the model gives {} outputs for {} classes", metadata_.source,
                  model_->classes(), metadata_.classes.size());
}

std::shared_ptr<CompiledScorer> CompiledScorer::from_file(const std::filesystem::path& path,
                                                          graph::Precision precision) {
  // One opening of the file: its header gives the metadata, the stream then the tensors.
  checkpoint::OpenSafetensors file = checkpoint::open_safetensors(path);
  checkpoint::Metadata m = checkpoint::read_metadata(file.header.metadata, path);
  if (!m.inference) return nullptr;
  check_precision(precision, m.int8, path.string());
  auto model = std::make_shared<graph::CompiledModel>(
      std::move(*m.inference), checkpoint::FloatTensors::read(std::move(file), path), 1, precision,
      m.int8);
  return std::make_shared<CompiledScorer>(
      std::move(model), Metadata{path.string(), std::move(m.audio), std::move(m.features),
                                 std::move(m.classes), std::move(m.names)});
}

std::map<std::string, std::shared_ptr<WindowScorer>> CompiledScorer::members(
    const std::vector<std::string>& paths, graph::Precision precision, const Fallback& fallback) {
  std::map<std::string, int> stems;
  for (const std::string& path : paths) ++stems[std::filesystem::path(path).stem().string()];
  std::map<std::string, std::shared_ptr<WindowScorer>> members;
  for (const std::string& path : paths) {
    const std::filesystem::path p(path);
    // Every training run writes best.ckpt: a stem shared by several models is qualified by
    // each one's folder (fold0.best, fold1.best).
    const std::string stem = p.stem().string();
    const std::string name =
        stems[stem] > 1 ? p.parent_path().filename().string() + "." + stem : stem;
    CHORUS_CHECK_AS(ConfigError, !members.contains(name), "two models named '{}' ({})", name, path);
    std::shared_ptr<WindowScorer> scorer = from_file(p, precision);
    members.emplace(name, scorer ? std::move(scorer) : fallback(p, precision));
  }
  return members;
}

void CompiledScorer::check_precision(graph::Precision precision, const graph::Int8Calibration& int8,
                                     const std::string& source) {
  CHORUS_CHECK_AS(ConfigError, precision != graph::Precision::int8 || !int8.empty(),
                  "{}: int8 needs a calibrated model; run chorus calibrate --model {} --data "
                  "<recordings like those it will score> first",
                  source, source);
}

graph::HeadOutput CompiledScorer::run(std::span<const float> windows, std::size_t count, int n_mels,
                                      int frames) const {
  try {
    return model_->forward(windows.first(count * static_cast<std::size_t>(n_mels * frames)),
                           {static_cast<std::int64_t>(count), 1, n_mels, frames},
                           graph::inference_threads());
  } catch (const ModelError& e) {
    // What the checkpoint describes cannot run on these windows: say which checkpoint.
    throw ModelError(fmt::format("{}: {}", metadata_.source, e.what()));
  }
}

void CompiledScorer::score(std::span<const float> windows, std::size_t count, int n_mels,
                           int frames, std::span<float> logits) {
  const graph::HeadOutput out = run(windows, count, n_mels, frames);
  CHORUS_CHECK_AS(ModelError, out.logits.size() == logits.size(),
                  "{} gave {} outputs for {} windows of {} classes", metadata_.source,
                  out.logits.size(), count, metadata_.classes.size());
  std::copy(out.logits.begin(), out.logits.end(), logits.begin());
}

int CompiledScorer::frame_outputs(int frames) const {
  if (!model_->frame_outputs()) return 0;
  std::lock_guard lock(frame_counts_mutex_);
  auto it = frame_counts_.find(frames);
  if (it == frame_counts_.end()) {
    // The backbone's time stride and padding decide it; one forward pass of a silent window says.
    const int n_mels = metadata_.features.n_mels;
    const std::vector<float> silence(static_cast<std::size_t>(n_mels * frames), 0.0f);
    it = frame_counts_.emplace(frames, static_cast<int>(run(silence, 1, n_mels, frames).frames))
             .first;
  }
  return it->second;
}

void CompiledScorer::score_frames(std::span<const float> windows, std::size_t count, int n_mels,
                                  int frames, std::span<float> frame_probabilities) {
  CHORUS_CHECK_AS(ModelError, model_->frame_outputs(),
                  "{}: a model without a sed head has no framewise output (infer.mode = sed "
                  "needs model.head = sed)",
                  metadata_.source);
  const graph::HeadOutput out = run(windows, count, n_mels, frames);
  CHORUS_CHECK_AS(ModelError, out.frame_probabilities.size() == frame_probabilities.size(),
                  "{} gave {} frame outputs where {} were expected", metadata_.source,
                  out.frame_probabilities.size(), frame_probabilities.size());
  std::copy(out.frame_probabilities.begin(), out.frame_probabilities.end(),
            frame_probabilities.begin());
}

}  // namespace chorus::infer
