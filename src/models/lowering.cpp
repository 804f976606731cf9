#include "models/lowering.hpp"

#include <fmt/format.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

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

bool does_nothing_in_inference(const torch::nn::Module& m) {
  return as<torch::nn::IdentityImpl>(m) != nullptr || as<torch::nn::DropoutImpl>(m) != nullptr;
}

const torch::nn::Conv2dImpl& conv_module(const torch::nn::Module& m) {
  const auto* conv = as<torch::nn::Conv2dImpl>(m);
  CHORUS_CHECK_AS(ModelError, conv != nullptr, "cannot compile: expected a Conv2d, found {}",
                  m.name());
  return *conv;
}

void check_folded(const torch::nn::Module& norm) {
  CHORUS_CHECK_AS(
      ModelError, is_folded_norm(norm),
      "cannot compile a {} that is not folded into its convolution (optimize_for_inference first)",
      norm.name());
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

GraphValue lower_conv(GraphBuilder& graph, const torch::nn::Module& conv,
                      const torch::nn::Module& norm, GraphValue x, PostOp post,
                      std::optional<GraphValue> residual) {
  check_folded(norm);
  return graph.conv(x, conv_module(conv), post, residual);
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
    // The convolution, the folded norm after it, and the activation after that, as one step.
    std::size_t next = i + 1;
    while (next < children.size() && is_folded_norm(*children[next])) ++next;
    if (next < children.size() && as<torch::nn::BatchNorm2dImpl>(*children[next]) != nullptr)
      check_folded(*children[next]);
    std::optional<PostOp> post =
        next < children.size() ? activation_of(*children[next]) : std::nullopt;
    if (i == last_conv && residual) {
      CHORUS_CHECK_AS(ModelError, !post,
                      "cannot compile: an activation between a residual block's last "
                      "convolution and its shortcut");
      x = graph.conv(x, conv_module(child), post_residual, residual);
    } else {
      x = graph.conv(x, conv_module(child), post.value_or(PostOp::none));
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
  if (as<torch::nn::Conv2dImpl>(module) != nullptr) return graph.conv(x, conv_module(module));
  CHORUS_CHECK_AS(ModelError, !as<torch::nn::BatchNorm2dImpl>(module),
                  "cannot compile a {} that is not folded into "
                  "its convolution (optimize_for_inference first)",
                  module.name());
  throw ModelError(
      fmt::format("cannot compile a {}: no inference-graph lowering for it", module.name()));
}

}  // namespace chorus::models
