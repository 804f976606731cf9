#include "runtime/compiled_network.hpp"

#include <omp.h>
#include <torch/types.h>

#include <algorithm>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "runtime/int8_plan.hpp"
#include "runtime/shared_weights.hpp"

namespace chorus::runtime {
namespace {

// oneDNN (built on OpenMP) splits each primitive over the calling thread's OpenMP thread count;
// this sets it for a scope, because a pool thread keeps whatever it was last given.
class OpenMpThreads {
 public:
  explicit OpenMpThreads(int threads) : previous_(omp_get_max_threads()) {
    omp_set_num_threads(threads);
  }
  ~OpenMpThreads() { omp_set_num_threads(previous_); }
  OpenMpThreads(const OpenMpThreads&) = delete;
  OpenMpThreads& operator=(const OpenMpThreads&) = delete;

 private:
  int previous_;
};

}  // namespace

CompiledNetwork::CompiledNetwork(std::shared_ptr<models::NetworkImpl> network, int graph_batch,
                                 Precision precision, const models::Int8Calibration& calibration)
    : network_(std::move(network)),
      graph_batch_(graph_batch),
      precision_(resolve_precision(precision).precision),
      weights_(std::make_shared<SharedWeights>()) {
  CHORUS_CHECK_AS(ModelError, graph_batch_ >= 1,
                  "compiled network: graph batch {} must be at least 1", graph_batch_);
  CHORUS_CHECK_AS(ModelError, !network_->is_training(),
                  "compiled network: the network must be in eval mode");
  if (precision_ == Precision::int8) {
    CHORUS_CHECK_AS(ModelError, !calibration.empty(),
                    "int8 needs a calibrated model: run chorus calibrate on it first");
    int8_ = std::make_shared<Int8Plan>(plan_int8(*network_, calibration));
  }
}

std::size_t CompiledNetwork::weight_bytes() const { return weights_->bytes(); }

std::unique_ptr<InferenceGraph> CompiledNetwork::acquire(const Shape4& shape) {
  {
    std::lock_guard lock(mutex_);
    auto it = idle_.find(shape);
    if (it != idle_.end() && !it->second.empty()) {
      std::unique_ptr<InferenceGraph> graph = std::move(it->second.back());
      it->second.pop_back();
      return graph;
    }
  }
  auto graph = std::make_unique<InferenceGraph>(shape, precision_, weights_, int8_);
  graph->finish(network_->backbone().lower_features(*graph, graph->input()));
  return graph;
}

void CompiledNetwork::release(const Shape4& shape, std::unique_ptr<InferenceGraph> graph) {
  std::lock_guard lock(mutex_);
  idle_[shape].push_back(std::move(graph));
}

torch::Tensor CompiledNetwork::features(const torch::Tensor& input, int threads) {
  const std::int64_t n = input.size(0);
  CHORUS_CHECK_AS(ModelError, n > 0, "compiled network: an empty batch");
  const Shape4 window_shape{1, input.size(1), input.size(2), input.size(3)};
  const auto slice_shape = [&](std::int64_t count) {
    return Shape4{count, window_shape[1], window_shape[2], window_shape[3]};
  };
  const auto slices = static_cast<std::size_t>((n + graph_batch_ - 1) / graph_batch_);
  const int workers = static_cast<int>(
      std::min<std::size_t>(static_cast<std::size_t>(std::max(1, threads)), slices));
  const int threads_per_graph = std::max(1, threads / workers);

  // The output's shape, from a graph that the first slice then reuses.
  const Shape4 first_shape = slice_shape(std::min<std::int64_t>(graph_batch_, n));
  std::unique_ptr<InferenceGraph> probe = acquire(first_shape);
  const Shape4 out = probe->output_shape();
  release(first_shape, std::move(probe));
  torch::Tensor features = torch::empty({n, out[1], out[2], out[3]}, torch::kFloat32);
  const std::int64_t in_stride = input[0].numel(), out_stride = out[1] * out[2] * out[3];
  const float* in = input.data_ptr<float>();
  float* result = features.data_ptr<float>();

  // Nested: a recording predicted beside others computes its windows on one thread, and threads
  // whose recordings are done take some of them.
  core::nested_parallel_for(slices, workers, 1, [&](std::size_t begin, std::size_t end) {
    const OpenMpThreads scope(threads_per_graph);
    for (std::size_t s = begin; s < end; ++s) {
      const std::int64_t first = static_cast<std::int64_t>(s) * graph_batch_;
      const Shape4 shape = slice_shape(std::min<std::int64_t>(graph_batch_, n - first));
      std::unique_ptr<InferenceGraph> graph = acquire(shape);
      graph->run(in + first * in_stride, result + first * out_stride);
      release(shape, std::move(graph));
    }
  });
  return features;
}

models::NetworkOutput CompiledNetwork::forward_output(const torch::Tensor& x, int threads) {
  torch::InferenceMode guard;
  const torch::Tensor input = network_->backbone_input(x).to(torch::kFloat32).contiguous();
  return network_->head_output(features(input, threads), x.size(3));
}

}  // namespace chorus::runtime
