#include "runtime/compiled_network.hpp"

#include <fmt/ranges.h>
#include <torch/types.h>

#include <vector>

#include "core/error.hpp"
#include "models/inference_description.hpp"

namespace chorus::runtime {
namespace {

// A tensor of `sizes` holding `values` (copied: the head's outputs are small).
torch::Tensor tensor_of(const std::vector<float>& values, std::vector<std::int64_t> sizes) {
  return torch::from_blob(const_cast<float*>(values.data()), sizes, torch::kFloat32).clone();
}

}  // namespace

CompiledNetwork::CompiledNetwork(std::shared_ptr<models::NetworkImpl> network, int graph_batch,
                                 graph::Precision precision,
                                 const graph::Int8Calibration& calibration)
    : network_(std::move(network)) {
  auto tensors = std::make_shared<models::NetworkTensors>(network_);
  model_ =
      std::make_unique<graph::CompiledModel>(models::describe_for_inference(*network_, *tensors),
                                             tensors, graph_batch, precision, calibration);
}

models::NetworkOutput CompiledNetwork::forward_output(const torch::Tensor& x, int threads) {
  torch::InferenceMode guard;
  CHORUS_CHECK_AS(ModelError, x.dim() == 4, "{}: expected input [N, C, mels, frames], got {}",
                  network_->config().arch, fmt::join(x.sizes(), " x "));
  const torch::Tensor input = x.to(torch::kFloat32).contiguous();
  const graph::Shape4 shape{input.size(0), input.size(1), input.size(2), input.size(3)};
  graph::HeadOutput out = model_->forward(
      {input.data_ptr<float>(), static_cast<std::size_t>(input.numel())}, shape, threads);
  const std::int64_t n = shape[0], k = out.classes, t = out.frames;
  models::NetworkOutput result;
  result.logits = tensor_of(out.logits, {n, k});
  if (model_->frame_outputs()) {
    result.clip_probabilities = tensor_of(out.clip_probabilities, {n, k});
    result.frame_probabilities = tensor_of(out.frame_probabilities, {n, t, k});
    result.attention = tensor_of(out.attention, {n, k, t});
    result.input_frames = shape[3];
  }
  return result;
}

}  // namespace chorus::runtime
