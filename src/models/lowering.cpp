#include "models/lowering.hpp"

#include <fmt/format.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/types.h>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "models/fast_silu.hpp"
#include "models/foldable_batch_norm.hpp"

namespace chorus::models {
namespace {

template <typename T>
const T* as(const torch::nn::Module& m) {
  return dynamic_cast<const T*>(&m);
}

// The activation `m` is, if it is one.
std::optional<PostOp> activation_of(const torch::nn::Module& m) {
  if (as<torch::nn::ReLUImpl>(m) != nullptr) return PostOp::relu;
  if (as<torch::nn::SiLUImpl>(m) != nullptr || as<FastSiLUImpl>(m) != nullptr) return PostOp::silu;
  if (as<torch::nn::SigmoidImpl>(m) != nullptr) return PostOp::sigmoid;
  return std::nullopt;
}

// A norm inference optimisation replaced (Identity in a Sequential) or switched off.
bool is_folded_norm(const torch::nn::Module& m) {
  if (as<torch::nn::IdentityImpl>(m) != nullptr) return true;
  const auto* foldable = as<FoldableBatchNorm2dImpl>(m);
  return foldable != nullptr && foldable->folded();
}

// A norm that follows a convolution: folded already, or a BatchNorm2d to fold.
bool is_norm(const torch::nn::Module& m) {
  return is_folded_norm(m) || as<torch::nn::BatchNorm2dImpl>(m) != nullptr;
}

bool does_nothing_in_inference(const torch::nn::Module& m) {
  return as<torch::nn::IdentityImpl>(m) != nullptr || as<torch::nn::DropoutImpl>(m) != nullptr;
}

const torch::nn::Conv2dImpl& conv_module(const torch::nn::Module& m) {
  const auto* conv = as<torch::nn::Conv2dImpl>(m);
  CHORUS_CHECK_AS(ModelError, conv != nullptr, "cannot compile: expected a Conv2d, found {}",
                  m.name());
  return *conv;
}

// A parameter or buffer as the graph reads it: float32, contiguous, in place.
std::span<const float> values_of(const torch::Tensor& t, const torch::nn::Module& owner) {
  CHORUS_CHECK_AS(ModelError, t.scalar_type() == torch::kFloat32 && t.is_contiguous(),
                  "cannot compile a {} whose parameters are not contiguous float32", owner.name());
  return {t.data_ptr<float>(), static_cast<std::size_t>(t.numel())};
}

graph::BatchNorm describe_norm(const torch::nn::BatchNorm2dImpl& norm, std::int64_t out_channels) {
  CHORUS_CHECK_AS(ModelError,
                  norm.options.track_running_stats() && norm.running_mean.defined() &&
                      norm.running_var.defined() && norm.options.num_features() == out_channels,
                  "cannot compile a {} without running statistics for the {} channels of its "
                  "convolution",
                  norm.name(), out_channels);
  graph::BatchNorm out;
  if (norm.weight.defined()) out.weight = values_of(norm.weight, norm);
  if (norm.bias.defined()) out.bias = values_of(norm.bias, norm);
  out.running_mean = values_of(norm.running_mean, norm);
  out.running_var = values_of(norm.running_var, norm);
  out.eps = norm.options.eps();
  return out;
}

// The modules a Sequential runs, nested Sequentials flattened (torchvision's Conv2dNormActivation
// inside MBConv's block), residual blocks kept whole.
void flatten(const torch::nn::Module& sequence, std::vector<const torch::nn::Module*>& out) {
  for (const auto& child : sequence.children()) {
    const bool nested = as<torch::nn::SequentialImpl>(*child) != nullptr &&
                        dynamic_cast<const LowerableModule*>(child.get()) == nullptr;
    if (nested)
      flatten(*child, out);
    else
      out.push_back(child.get());
  }
}

}  // namespace

graph::Convolution describe_convolution(const torch::nn::Conv2dImpl& conv,
                                        const torch::nn::Module* norm) {
  const auto& o = conv.options;
  const auto* padding = c10::get_if<torch::ExpandingArray<2>>(&o.padding());
  CHORUS_CHECK_AS(
      ModelError,
      padding != nullptr && c10::holds_alternative<torch::enumtype::kZeros>(o.padding_mode()),
      "cannot compile a convolution with 'same'/'valid' or non-zero padding mode");
  const auto pair = [](const auto& a) { return std::array<std::int64_t, 2>{(*a)[0], (*a)[1]}; };
  graph::Convolution c;
  c.in_channels = o.in_channels();
  c.out_channels = o.out_channels();
  c.groups = o.groups();
  c.kernel = pair(o.kernel_size());
  c.stride = pair(o.stride());
  c.padding = pair(*padding);
  c.dilation = pair(o.dilation());
  c.weight = values_of(conv.weight, conv);
  if (conv.bias.defined()) c.bias = values_of(conv.bias, conv);
  if (norm != nullptr && !is_folded_norm(*norm)) {
    const auto* batch_norm = as<torch::nn::BatchNorm2dImpl>(*norm);
    CHORUS_CHECK_AS(ModelError, batch_norm != nullptr,
                    "cannot compile: expected a BatchNorm2d after a convolution, found {}",
                    norm->name());
    c.norm = describe_norm(*batch_norm, c.out_channels);
  }
  return c;
}

GraphValue lower_conv(GraphBuilder& graph, const torch::nn::Module& conv,
                      const torch::nn::Module& norm, GraphValue x, PostOp post,
                      std::optional<GraphValue> residual) {
  return graph.conv(x, describe_convolution(conv_module(conv), &norm), post, residual);
}

GraphValue lower_sequence(GraphBuilder& graph, const torch::nn::Module& sequence, GraphValue x,
                          std::optional<GraphValue> residual, PostOp post_residual) {
  std::vector<const torch::nn::Module*> children;
  flatten(sequence, children);
  // Where the chain's last convolution is: the residual goes there.
  std::size_t last_conv = children.size();
  for (std::size_t i = 0; i < children.size(); ++i)
    if (as<torch::nn::Conv2dImpl>(*children[i]) != nullptr) last_conv = i;
  CHORUS_CHECK_AS(ModelError, !residual || last_conv < children.size(),
                  "cannot compile: a residual block without a convolution");

  for (std::size_t i = 0; i < children.size(); ++i) {
    const torch::nn::Module& child = *children[i];
    if (as<torch::nn::Conv2dImpl>(child) == nullptr) {
      CHORUS_CHECK_AS(ModelError, !residual || i < last_conv,
                      "cannot compile: {} after the convolution that takes the residual",
                      child.name());
      x = lower_module(graph, child, x);
      continue;
    }
    // The convolution, the norm after it, and the activation after that, as one step.
    std::size_t next = i + 1;
    const torch::nn::Module* norm = nullptr;
    if (next < children.size() && is_norm(*children[next])) norm = children[next++];
    const graph::Convolution conv = describe_convolution(conv_module(child), norm);
    std::optional<PostOp> post =
        next < children.size() ? activation_of(*children[next]) : std::nullopt;
    if (i == last_conv && residual) {
      CHORUS_CHECK_AS(ModelError, !post,
                      "cannot compile: an activation between a residual block's last "
                      "convolution and its shortcut");
      x = graph.conv(x, conv, post_residual, residual);
    } else {
      x = graph.conv(x, conv, post.value_or(PostOp::none));
      if (post) ++next;
    }
    i = next - 1;
  }
  return x;
}

GraphValue lower_module(GraphBuilder& graph, const torch::nn::Module& module, GraphValue x) {
  if (const auto* block = dynamic_cast<const LowerableModule*>(&module))
    return block->lower(graph, x);
  if (does_nothing_in_inference(module)) return x;
  if (as<torch::nn::SequentialImpl>(module) != nullptr) return lower_sequence(graph, module, x);
  if (const auto* conv = as<torch::nn::Conv2dImpl>(module))
    return graph.conv(x, describe_convolution(*conv));
  CHORUS_CHECK_AS(ModelError, !as<torch::nn::BatchNorm2dImpl>(module),
                  "cannot compile a {} without a convolution before it", module.name());
  throw ModelError(
      fmt::format("cannot compile a {}: no inference-graph lowering for it", module.name()));
}

}  // namespace chorus::models
