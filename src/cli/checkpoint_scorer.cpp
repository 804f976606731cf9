#include "cli/checkpoint_scorer.hpp"

#include <torch/types.h>

#include "core/error.hpp"
#include "models/inference_optimizer.hpp"

namespace chorus::cli {

CheckpointScorer::CheckpointScorer(const std::filesystem::path& path)
    : checkpoint_(models::Checkpoint::read(path)), model_(checkpoint_.instantiate()) {
  models::optimize_for_inference(*model_, inference_);
}

void CheckpointScorer::score(std::span<const float> windows, std::size_t count, int n_mels, int frames,
                             std::span<float> logits) {
  const auto channels = static_cast<std::int64_t>(checkpoint_.model.in_channels);
  CHORUS_CHECK_AS(ModelError, channels == 1, "{} expects {} input channels; log-mel windows have 1",
                  checkpoint_.model.arch, channels);
  torch::InferenceMode guard;
  // from_blob does not copy; the model only reads its input.
  const torch::Tensor input = torch::from_blob(const_cast<float*>(windows.data()),
                                               {static_cast<std::int64_t>(count), 1, n_mels, frames});
  const torch::Tensor out = model_->forward(models::inference_input(input, inference_)).contiguous();
  CHORUS_CHECK_AS(ModelError, out.numel() == static_cast<std::int64_t>(logits.size()),
                  "{} gave {} outputs for {} windows of {} classes", checkpoint_.model.arch, out.numel(), count,
                  classes().size());
  std::copy_n(out.data_ptr<float>(), out.numel(), logits.begin());
}

}  // namespace chorus::cli
