#include "runtime/int8_calibrator.hpp"

#include <torch/nn/functional/activation.h>
#include <torch/types.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "graph/folded_convolution.hpp"
#include "graph/int8_plan.hpp"

namespace chorus::runtime {
namespace {

using graph::GraphValue;
using graph::Int8Quantization;
using graph::PostOp;

constexpr std::int64_t kErrorWindows = 16;

// The convolution `conv` describes with `weight` [out, in / groups, kH, kW] and `bias`.
torch::Tensor convolve(const torch::Tensor& x, const graph::Convolution& conv,
                       const torch::Tensor& weight, const torch::Tensor& bias) {
  return torch::conv2d(x, weight, bias, conv.stride, conv.padding, conv.dilation, conv.groups);
}

torch::Tensor activate(const torch::Tensor& x, PostOp post) {
  switch (post) {
    case PostOp::none:
      return x;
    case PostOp::relu:
      return torch::relu(x);
    case PostOp::silu:
      return torch::silu(x);
    case PostOp::sigmoid:
      return torch::sigmoid(x);
  }
  return x;
}

torch::Tensor fake_quantize(const torch::Tensor& x, const Int8Quantization& q) {
  const auto zero = static_cast<float>(q.zero_point);
  return ((x / q.scale).round() + zero).clamp(0, 255).sub(zero) * q.scale;
}

// The lowering run eagerly. Without `quantization` it records each convolution's input range and
// channels, and whether its input is 1×1; with it, it also computes each int8 convolution on
// quantised input and weights and accumulates the squared difference from the exact output.
class EagerGraph final : public graph::GraphBuilder {
 public:
  struct Record {
    std::int64_t in_channels = 0, out_channels = 0;
    float min = std::numeric_limits<float>::infinity();
    float max = -std::numeric_limits<float>::infinity();
    bool one_by_one = true;  // every input seen was 1×1
    double error_squares = 0, output_squares = 0;
  };

  EagerGraph(std::vector<Record>& records, const graph::Int8Calibration* quantization)
      : records_(records), quantization_(quantization) {}

  GraphValue input(torch::Tensor x) { return add(std::move(x)); }
  const torch::Tensor& value(GraphValue v) const { return values_[static_cast<std::size_t>(v.id)]; }

  GraphValue conv(GraphValue xv, const graph::Convolution& conv, PostOp post,
                  std::optional<GraphValue> accumulate) override {
    const auto index = static_cast<std::size_t>(convolutions_++);
    if (records_.size() <= index) records_.resize(index + 1);
    Record& r = records_[index];
    const torch::Tensor& x = value(xv);
    graph::check_shape(conv);
    graph::FoldedConvolution folded = graph::fold(conv);
    // from_blob does not copy: `folded` outlives every use below.
    const torch::Tensor weight = torch::from_blob(
        folded.weight.data(),
        {conv.out_channels, conv.in_channels / conv.groups, conv.kernel[0], conv.kernel[1]});
    const torch::Tensor bias = torch::from_blob(folded.bias.data(), {conv.out_channels});
    torch::Tensor y = convolve(x, conv, weight, bias);
    if (quantization_ == nullptr) {
      r.in_channels = conv.in_channels;
      r.out_channels = conv.out_channels;
      r.min = std::min(r.min, x.min().item<float>());
      r.max = std::max(r.max, x.max().item<float>());
      r.one_by_one = r.one_by_one && x.size(2) == 1 && x.size(3) == 1;
    } else {
      const auto& c = quantization_->convolutions[index];
      if (c.fallback == graph::Int8Fallback::none) {
        const int levels = quantization_->weight_levels;
        const std::vector<float> scales =
            graph::weight_scales(folded.weight, conv.out_channels, levels);
        const torch::Tensor s = torch::tensor(scales).view({-1, 1, 1, 1});
        const torch::Tensor quantized = (weight / s).round().clamp(-levels, levels) * s;
        const torch::Tensor yq =
            convolve(fake_quantize(x, graph::input_quantization(c)), conv, quantized, bias);
        r.error_squares += (yq - y).square().sum().item<double>();
        r.output_squares += y.square().sum().item<double>();
      }
    }
    if (accumulate) y = y + value(*accumulate);
    return add(activate(y, post));
  }
  GraphValue global_average(GraphValue x) override {
    return add(value(x).mean({2, 3}, /*keepdim=*/true));
  }
  GraphValue scale_channels(GraphValue x, GraphValue scale) override {
    return add(value(x) * value(scale));
  }
  GraphValue max_pool(GraphValue x, int kernel, int stride, int padding) override {
    return add(torch::max_pool2d(value(x), kernel, stride, padding));
  }

 private:
  GraphValue add(torch::Tensor t) {
    values_.push_back(std::move(t));
    return {static_cast<int>(values_.size()) - 1};
  }

  std::vector<Record>& records_;
  const graph::Int8Calibration* quantization_;
  std::vector<torch::Tensor> values_;
  int convolutions_ = 0;
};

}  // namespace

struct Int8Calibrator::Ranges {
  std::vector<EagerGraph::Record> records;
  std::int64_t windows = 0;
};

Int8Calibrator::Int8Calibrator(std::shared_ptr<models::NetworkImpl> network)
    : network_(std::move(network)), ranges_(std::make_unique<Ranges>()) {
  CHORUS_CHECK_AS(ModelError, !network_->is_training(),
                  "int8 calibration: the network must be in eval mode");
}

Int8Calibrator::~Int8Calibrator() = default;

torch::Tensor Int8Calibrator::observe(const torch::Tensor& x) {
  CHORUS_CHECK_AS(ModelError, x.dim() == 4 && x.size(0) > 0,
                  "int8 calibration: windows must be [N > 0, C, H, W]");
  torch::InferenceMode guard;
  const torch::Tensor input = network_->backbone_input(x).to(torch::kFloat32).contiguous();
  std::vector<EagerGraph::Record> records;
  EagerGraph graph(records, nullptr);
  const torch::Tensor features =
      graph.value(network_->backbone().lower_features(graph, graph.input(input)));

  std::lock_guard lock(mutex_);
  auto& merged = ranges_->records;
  if (merged.empty()) merged.resize(records.size());
  CHORUS_DCHECK(merged.size() == records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    merged[i].in_channels = records[i].in_channels;
    merged[i].out_channels = records[i].out_channels;
    merged[i].min = std::min(merged[i].min, records[i].min);
    merged[i].max = std::max(merged[i].max, records[i].max);
    merged[i].one_by_one = merged[i].one_by_one && records[i].one_by_one;
  }
  ranges_->windows += input.size(0);
  for (std::int64_t n = 0;
       n < input.size(0) && static_cast<std::int64_t>(error_sample_.size()) < kErrorWindows; ++n)
    error_sample_.push_back(input[n].unsqueeze(0).clone());
  return features;
}

std::int64_t Int8Calibrator::windows() const {
  std::lock_guard lock(mutex_);
  return ranges_->windows;
}

graph::Int8Calibration Int8Calibrator::result() const {
  std::lock_guard lock(mutex_);
  CHORUS_CHECK_AS(ModelError, ranges_->windows > 0, "int8 calibration saw no window");
  graph::Int8Calibration calibration;
  calibration.windows = ranges_->windows;
  calibration.weight_levels = graph::weight_levels();  // measure the errors this CPU's kernels make
  for (std::size_t i = 0; i < ranges_->records.size(); ++i) {
    const EagerGraph::Record& r = ranges_->records[i];
    graph::Int8Calibration::Convolution c;
    c.in_channels = r.in_channels;
    c.out_channels = r.out_channels;
    c.input_min = r.min;
    c.input_max = r.max;
    c.fallback = i == 0         ? graph::Int8Fallback::first
                 : r.one_by_one ? graph::Int8Fallback::one_by_one
                                : graph::Int8Fallback::none;
    calibration.convolutions.push_back(c);
  }

  torch::InferenceMode guard;
  std::vector<EagerGraph::Record> errors;
  for (const torch::Tensor& window : error_sample_) {
    EagerGraph graph(errors, &calibration);
    static_cast<void>(network_->backbone().lower_features(graph, graph.input(window)));
  }
  for (std::size_t i = 0; i < errors.size(); ++i)
    if (errors[i].output_squares > 0)
      calibration.convolutions[i].error =
          static_cast<float>(std::sqrt(errors[i].error_squares / errors[i].output_squares));
  return calibration;
}

}  // namespace chorus::runtime
