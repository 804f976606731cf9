#include "runtime/inference_optimizer.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>  // Identity
#include <torch/types.h>

#include "core/error.hpp"
#include "models/fast_silu.hpp"
#include "models/foldable_batch_norm.hpp"
#include "runtime/channels_last.hpp"

namespace chorus::runtime {
namespace {

// Child `index` of a Sequential, registered as `name`, becomes `module`: both the list forward
// runs and the registered children (what named_modules and pretty-printing see).
template <typename M>
void replace_in_sequential(torch::nn::SequentialImpl& sequential, std::size_t index,
                           const std::string& name, const torch::nn::ModuleHolder<M>& module) {
  *(sequential.begin() + static_cast<std::ptrdiff_t>(index)) = torch::nn::AnyModule(module);
  sequential.replace_module(name, module.ptr());
}

// Multiplies the convolution's output channels by γ/σ and adds the norm's shift to its bias, in
// double so that the folded weights round once; a convolution without bias gets one.
void fold_into_convolution(torch::nn::Conv2dImpl& conv, const torch::nn::BatchNorm2dImpl& norm) {
  torch::NoGradGuard no_grad;
  const auto as_double = [](const torch::Tensor& t) { return t.to(torch::kFloat64); };
  const std::int64_t channels = conv.options.out_channels();
  const torch::Tensor mean = as_double(norm.running_mean);
  const torch::Tensor gamma =
      norm.weight.defined() ? as_double(norm.weight) : torch::ones({channels}, torch::kFloat64);
  const torch::Tensor beta =
      norm.bias.defined() ? as_double(norm.bias) : torch::zeros({channels}, torch::kFloat64);
  const torch::Tensor scale = gamma / (as_double(norm.running_var) + norm.options.eps()).sqrt();
  const torch::Tensor bias =
      conv.bias.defined() ? as_double(conv.bias) : torch::zeros({channels}, torch::kFloat64);

  conv.weight.copy_(as_double(conv.weight) * scale.view({-1, 1, 1, 1}));
  const torch::Tensor folded_bias = ((bias - mean) * scale + beta).to(conv.weight.scalar_type());
  if (conv.bias.defined()) {
    conv.bias.copy_(folded_bias);
  } else {
    // forward reads the `bias` member. Module's parameter list cannot take a new entry under a
    // name it already holds (an undefined "bias"), so it does not list this one: an optimised
    // model is for running, not for saving or training.
    conv.bias = folded_bias;
    conv.options.bias(true);
  }
}

bool can_fold(const torch::nn::Conv2dImpl& conv, const torch::nn::BatchNorm2dImpl& norm) {
  // Without running statistics eval mode normalises by the batch's own: nothing to fold.
  return norm.options.track_running_stats() && norm.running_mean.defined() &&
         conv.options.out_channels() == norm.options.num_features();
}

// The convolution whose output `children[i]` (a BatchNorm2d) normalises, if the pairing rules
// (see the header) find one.
torch::nn::Conv2dImpl* convolution_before(
    const torch::OrderedDict<std::string, std::shared_ptr<torch::nn::Module>>& children,
    std::size_t i, bool in_sequential) {
  if (in_sequential)
    return i > 0 ? dynamic_cast<torch::nn::Conv2dImpl*>(children[i - 1].value().get()) : nullptr;
  const std::string& name = children[i].key();
  if (!name.starts_with("bn")) return nullptr;
  const auto* conv = children.find("conv" + name.substr(2));
  return conv != nullptr ? dynamic_cast<torch::nn::Conv2dImpl*>(conv->get()) : nullptr;
}

// Folds the norm `children[i]` of `parent` where it can then be skipped; false where it stays.
bool fold_norm(torch::nn::Module& parent,
               const torch::OrderedDict<std::string, std::shared_ptr<torch::nn::Module>>& children,
               std::size_t i) {
  auto* sequential = dynamic_cast<torch::nn::SequentialImpl*>(&parent);
  auto& norm = dynamic_cast<torch::nn::BatchNorm2dImpl&>(*children[i].value());
  auto* foldable = dynamic_cast<models::FoldableBatchNorm2dImpl*>(&norm);
  if (foldable != nullptr && foldable->folded()) return true;  // optimised before: fold once only
  torch::nn::Conv2dImpl* conv = convolution_before(children, i, sequential != nullptr);
  if (conv == nullptr || (foldable == nullptr && sequential == nullptr) || !can_fold(*conv, norm))
    return false;
  fold_into_convolution(*conv, norm);
  if (foldable != nullptr) {
    foldable->mark_folded();
  } else {  // a stock BatchNorm2d in a Sequential: the Sequential runs an Identity instead
    replace_in_sequential(*sequential, i, children[i].key(), torch::nn::Identity());
  }
  return true;
}

}  // namespace

int replace_silus(torch::nn::Module& model) {
  int replaced = 0;
  for (const auto& item : model.named_modules()) {
    auto* sequential = dynamic_cast<torch::nn::SequentialImpl*>(item.value().get());
    if (sequential == nullptr) continue;
    const auto children = sequential->named_children();
    for (std::size_t i = 0; i < children.size(); ++i)
      if (dynamic_cast<torch::nn::SiLUImpl*>(children[i].value().get()) != nullptr) {
        replace_in_sequential(*sequential, i, children[i].key(), models::FastSiLU());
        ++replaced;
      }
  }
  return replaced;
}

namespace {

void fold_batch_norms(torch::nn::Module& model, InferenceReport& report) {
  for (const auto& item : model.named_modules()) {
    const auto children = item.value()->named_children();
    for (std::size_t i = 0; i < children.size(); ++i) {
      if (dynamic_cast<torch::nn::BatchNorm2dImpl*>(children[i].value().get()) == nullptr) continue;
      ++report.batch_norms;
      if (fold_norm(*item.value(), children, i))
        ++report.folded;
      else
        report.left.push_back(item.key().empty() ? children[i].key()
                                                 : item.key() + "." + children[i].key());
    }
  }
}

}  // namespace

std::string InferenceReport::describe() const {
  std::string text =
      fmt::format("folded {} of {} BatchNorm2d into their convolutions", folded, batch_norms);
  if (!left.empty()) text += fmt::format(" (left: {})", fmt::join(left, ", "));
  if (silus_replaced > 0) text += fmt::format("; {} SiLU vectorised", silus_replaced);
  if (channels_last) text += "; channels-last weights";
  return text;
}

InferenceReport optimize_for_inference(torch::nn::Module& model, const InferenceOptions& options) {
  model.eval();
  InferenceReport report;
  if (options.fold_batch_norms) fold_batch_norms(model, report);
  if (options.fast_silu) report.silus_replaced = replace_silus(model);
  if (options.channels_last) convert_to_channels_last(model);
  report.channels_last = options.channels_last;
  return report;
}

torch::Tensor inference_input(const torch::Tensor& x, const InferenceOptions& options) {
  if (options.channels_last) return channels_last(x);
  CHORUS_CHECK_AS(ModelError, x.dim() == 4, "model input must be [N, C, H, W]; got {} dimensions",
                  x.dim());
  return x;
}

}  // namespace chorus::runtime
