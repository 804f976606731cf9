#pragma once
// A checkpoint's network compiled for inference (graph::CompiledModel) as the Predictor's
// WindowScorer: `chorus predict` and `chorus pseudo` score checkpoints through it. Each call runs
// on graph::inference_threads() threads (the intra-op count the command set up per recording);
// concurrent calls only read the model. Nothing here needs LibTorch.

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "graph/compiled_model.hpp"
#include "infer/window_scorer.hpp"

namespace chorus::infer {

class CompiledScorer final : public WindowScorer {
 public:
  // What a checkpoint says of its network besides the network itself.
  struct Metadata {
    std::string source;  // the checkpoint, for messages
    audio::AudioConfig audio;
    features::FeatureConfig features;
    std::vector<std::string> classes;
    formats::SpeciesNames names;
  };

  // A ModelError when the model does not take one input plane (log-mel windows have one) or gives
  // another number of outputs than there are classes.
  CompiledScorer(std::shared_ptr<graph::CompiledModel> model, Metadata metadata);

  // The checkpoint at `path` compiled in `precision` from the description it stores, on its
  // tensors read as float32 (checkpoint/): nullptr when it stores none (written before chorus
  // stored it; infer/checkpoint_scorers.hpp describes those from their LibTorch network).
  static std::shared_ptr<CompiledScorer> from_file(const std::filesystem::path& path,
                                                   graph::Precision precision);
  // What scores a checkpoint that stores no description (written before chorus stored it):
  // chorus-torch describes it from its LibTorch network (infer/checkpoint_scorers.hpp), the
  // program without LibTorch hands the command over to chorus-torch.
  using Fallback = std::function<std::shared_ptr<WindowScorer>(const std::filesystem::path& path,
                                                               graph::Precision precision)>;
  // Checkpoints as a Predictor's members, each compiled (from_file, else `fallback`) and named
  // by its file stem (the names --ensemble uses), or "<folder>.<stem>" where several share a
  // stem (run_a/best.ckpt, run_b/best.ckpt: run_a.best, run_b.best); two with one name even so
  // are a ConfigError.
  static std::map<std::string, std::shared_ptr<WindowScorer>> members(
      const std::vector<std::string>& paths, graph::Precision precision, const Fallback& fallback);
  // A ConfigError naming `source` for int8 without a calibration.
  static void check_precision(graph::Precision precision, const graph::Int8Calibration& int8,
                              const std::string& source);

  const std::vector<std::string>& classes() const override { return metadata_.classes; }
  const formats::SpeciesNames& species_names() const override { return metadata_.names; }
  const audio::AudioConfig& audio() const override { return metadata_.audio; }
  const features::FeatureConfig& features() const override { return metadata_.features; }
  void score(std::span<const float> windows, std::size_t count, int n_mels, int frames,
             std::span<float> logits) override;
  int frame_outputs(int frames) const override;
  void score_frames(std::span<const float> windows, std::size_t count, int n_mels, int frames,
                    std::span<float> frame_probabilities) override;

  const graph::CompiledModel& model() const { return *model_; }

 private:
  graph::HeadOutput run(std::span<const float> windows, std::size_t count, int n_mels,
                        int frames) const;

  std::shared_ptr<graph::CompiledModel> model_;
  Metadata metadata_;
  mutable std::mutex frame_counts_mutex_;
  mutable std::map<int, int> frame_counts_;  // input frames → output frames, measured once
};

}  // namespace chorus::infer
