#include "graph/compiled_model.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <omp.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <oneapi/dnnl/dnnl.hpp>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "graph/folded_convolution.hpp"
#include "graph/int8_plan.hpp"
#include "graph/shared_weights.hpp"

namespace chorus::graph {
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

// x [N, C, mels, frames] with a plane after its C planes that is linear in the mel index, −1 at
// mel 0 to +1 at the highest (0 for a single mel), constant over time: torch.linspace's values,
// which it computes from both ends towards the middle.
std::vector<float> with_frequency_coordinate(const float* x, const Shape4& shape) {
  const std::int64_t n = shape[0], c = shape[1], mels = shape[2], frames = shape[3];
  std::vector<float> rows(static_cast<std::size_t>(mels), 0.0f);
  if (mels > 1) {
    const float step = 2.0f / static_cast<float>(mels - 1);
    const std::int64_t halfway = mels / 2;
    for (std::int64_t i = 0; i < mels; ++i)
      rows[static_cast<std::size_t>(i)] = i < halfway
                                              ? -1.0f + step * static_cast<float>(i)
                                              : 1.0f - step * static_cast<float>(mels - i - 1);
  }
  const std::int64_t plane = mels * frames;
  std::vector<float> out(static_cast<std::size_t>(n * (c + 1) * plane));
  for (std::int64_t w = 0; w < n; ++w) {
    float* dst = out.data() + w * (c + 1) * plane;
    std::copy_n(x + w * c * plane, c * plane, dst);
    for (std::int64_t m = 0; m < mels; ++m)
      std::fill_n(dst + c * plane + m * frames, frames, rows[static_cast<std::size_t>(m)]);
  }
  return out;
}

}  // namespace

std::vector<std::string> NetworkDescription::tensor_names() const {
  std::vector<std::string> names = backbone.tensor_names();
  for (std::string& name : head.tensor_names()) names.push_back(std::move(name));
  return names;
}

nlohmann::json NetworkDescription::to_json() const {
  return {{"in_channels", in_channels},
          {"frequency_coordinate", frequency_coordinate},
          {"backbone", backbone.to_json()},
          {"head", head.to_json()}};
}

NetworkDescription NetworkDescription::from_json(const nlohmann::json& json,
                                                 const std::string& source) {
  NetworkDescription d;
  try {
    d.in_channels = json.at("in_channels").get<std::int64_t>();
    d.frequency_coordinate = json.at("frequency_coordinate").get<bool>();
    d.backbone = Program::from_json(json.at("backbone"), source);
    d.head = Head::from_json(json.at("head"), source);
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(fmt::format("{}: the inference program is damaged: {}", source, e.what()));
  }
  CHORUS_CHECK_AS(FormatError, d.in_channels > 0, "{}: the inference program takes {} input planes",
                  source, d.in_channels);
  return d;
}

CompiledModel::CompiledModel(NetworkDescription description,
                             std::shared_ptr<const TensorSource> tensors, int graph_batch,
                             Precision precision, const Int8Calibration& calibration)
    : description_(std::move(description)),
      tensors_(std::move(tensors)),
      lookup_([source = tensors_.get()](const std::string& name) { return source->get(name); }),
      graph_batch_(graph_batch),
      precision_(resolve_precision(precision).precision),
      weights_(std::make_shared<SharedWeights>()),
      head_(description_.head, lookup_, description_.backbone.output_channels()) {
  CHORUS_CHECK_AS(ModelError, graph_batch_ >= 1,
                  "compiled network: graph batch {} must be at least 1", graph_batch_);
  // Every array the backbone reads is there and fits its convolution before anything runs (the
  // head's were checked above).
  for (const NamedConvolution& c : description_.backbone.convolutions)
    check_shape(c.resolve(lookup_));
  if (precision_ == Precision::int8) {
    CHORUS_CHECK_AS(ModelError, !calibration.empty(),
                    "int8 needs a calibrated model: run chorus calibrate on it first");
    int8_ = std::make_shared<Int8Plan>(plan_int8(
        [this](GraphBuilder& builder, GraphValue x) {
          return description_.backbone.replay(builder, x, lookup_);
        },
        calibration));
  }
}

CompiledModel::~CompiledModel() = default;

std::size_t CompiledModel::weight_bytes() const { return weights_->bytes(); }

std::unique_ptr<InferenceGraph> CompiledModel::acquire(const Shape4& shape, int threads) {
  const GraphKey key{shape, threads};
  {
    std::lock_guard lock(mutex_);
    auto it = idle_.find(key);
    if (it != idle_.end() && !it->second.empty()) {
      std::unique_ptr<InferenceGraph> graph = std::move(it->second.back());
      it->second.pop_back();
      return graph;
    }
  }
  // oneDNN fixes a primitive's thread count when it creates it (from the creating thread's
  // OpenMP count) and runs it on that many threads wherever it runs: a graph compiled on a
  // thread still at OpenMP's default of all cores would run every window on all of them beside
  // the other workers.
  const OpenMpThreads scope(threads);
  auto graph = std::make_unique<InferenceGraph>(shape, precision_, weights_, int8_);
  try {
    graph->finish(description_.backbone.replay(*graph, graph->input(), lookup_));
  } catch (const dnnl::error& e) {
    // A description whose numbers oneDNN refuses for this input (a stored program is checked
    // for its own consistency, not against every input it may meet).
    throw ModelError(fmt::format("the network cannot run on input {}: oneDNN: {}",
                                 fmt::join(shape, " x "), e.what()));
  }
  return graph;
}

void CompiledModel::release(const Shape4& shape, int threads,
                            std::unique_ptr<InferenceGraph> graph) {
  std::lock_guard lock(mutex_);
  idle_[GraphKey{shape, threads}].push_back(std::move(graph));
}

std::vector<float> CompiledModel::features(const float* input, const Shape4& shape, int threads,
                                           Shape4& features_shape) {
  const std::int64_t n = shape[0];
  const Shape4 window_shape{1, shape[1], shape[2], shape[3]};
  const auto slice_shape = [&](std::int64_t count) {
    return Shape4{count, window_shape[1], window_shape[2], window_shape[3]};
  };
  const auto slices = static_cast<std::size_t>((n + graph_batch_ - 1) / graph_batch_);
  const int workers = static_cast<int>(
      std::min<std::size_t>(static_cast<std::size_t>(std::max(1, threads)), slices));
  const int threads_per_graph = std::max(1, threads / workers);

  // The output's shape, from a graph that the first slice then reuses.
  const Shape4 first_shape = slice_shape(std::min<std::int64_t>(graph_batch_, n));
  std::unique_ptr<InferenceGraph> probe = acquire(first_shape, threads_per_graph);
  const Shape4 out = probe->output_shape();
  release(first_shape, threads_per_graph, std::move(probe));
  features_shape = {n, out[1], out[2], out[3]};
  const std::int64_t in_stride = shape[1] * shape[2] * shape[3],
                     out_stride = out[1] * out[2] * out[3];
  std::vector<float> result(static_cast<std::size_t>(n * out_stride));

  // Nested: a recording predicted beside others computes its windows on one thread, and threads
  // whose recordings are done take some of them.
  core::nested_parallel_for(slices, workers, 1, [&](std::size_t begin, std::size_t end) {
    const OpenMpThreads scope(threads_per_graph);
    for (std::size_t s = begin; s < end; ++s) {
      const std::int64_t first = static_cast<std::int64_t>(s) * graph_batch_;
      const Shape4 slice = slice_shape(std::min<std::int64_t>(graph_batch_, n - first));
      std::unique_ptr<InferenceGraph> graph = acquire(slice, threads_per_graph);
      graph->run(input + first * in_stride, result.data() + first * out_stride);
      release(slice, threads_per_graph, std::move(graph));
    }
  });
  return result;
}

HeadOutput CompiledModel::forward(std::span<const float> x, const Shape4& shape, int threads) {
  CHORUS_CHECK_AS(ModelError, shape[0] > 0, "compiled network: an empty batch");
  CHORUS_CHECK_AS(ModelError, shape[1] == description_.in_channels,
                  "compiled network: expected input [N, {}, mels, frames], got {} planes",
                  description_.in_channels, shape[1]);
  CHORUS_CHECK_AS(ModelError,
                  static_cast<std::int64_t>(x.size()) == shape[0] * shape[1] * shape[2] * shape[3],
                  "compiled network: {} input values for a batch of {} x {} x {} x {}", x.size(),
                  shape[0], shape[1], shape[2], shape[3]);
  Shape4 features_shape{};
  std::vector<float> features;
  if (description_.frequency_coordinate) {
    const std::vector<float> input = with_frequency_coordinate(x.data(), shape);
    features = this->features(input.data(), {shape[0], shape[1] + 1, shape[2], shape[3]}, threads,
                              features_shape);
  } else {
    features = this->features(x.data(), shape, threads, features_shape);
  }
  const OpenMpThreads scope(std::max(1, threads));
  return head_.run(features, features_shape);
}

}  // namespace chorus::graph
