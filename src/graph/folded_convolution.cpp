#include "graph/folded_convolution.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace chorus::graph {
namespace {

void check_size(std::span<const float> values, std::int64_t expected, const char* what) {
  CHORUS_CHECK_AS(ModelError, static_cast<std::int64_t>(values.size()) == expected,
                  "a convolution's {} holds {} values where its shape needs {}", what,
                  values.size(), expected);
}

}  // namespace

void check_shape(const Convolution& conv) {
  CHORUS_CHECK_AS(ModelError,
                  conv.in_channels > 0 && conv.out_channels > 0 && conv.groups > 0 &&
                      conv.in_channels % conv.groups == 0 && conv.out_channels % conv.groups == 0,
                  "a convolution of {} → {} channels cannot have {} groups", conv.in_channels,
                  conv.out_channels, conv.groups);
  for (std::size_t i = 0; i < 2; ++i)
    CHORUS_CHECK_AS(
        ModelError,
        conv.kernel[i] > 0 && conv.stride[i] > 0 && conv.dilation[i] > 0 && conv.padding[i] >= 0,
        "a convolution with kernel {}x{}, stride {}x{}, dilation {}x{}, padding {}x{}",
        conv.kernel[0], conv.kernel[1], conv.stride[0], conv.stride[1], conv.dilation[0],
        conv.dilation[1], conv.padding[0], conv.padding[1]);
  // A description read from a file may hold any numbers: the product must not overflow.
  std::int64_t weights = conv.out_channels;
  const bool fits = !__builtin_mul_overflow(weights, conv.in_channels / conv.groups, &weights) &&
                    !__builtin_mul_overflow(weights, conv.kernel[0], &weights) &&
                    !__builtin_mul_overflow(weights, conv.kernel[1], &weights);
  CHORUS_CHECK_AS(ModelError, fits, "a convolution of {} → {} channels with a {}x{} kernel",
                  conv.in_channels, conv.out_channels, conv.kernel[0], conv.kernel[1]);
  check_size(conv.weight, weights, "weight");
  if (!conv.bias.empty()) check_size(conv.bias, conv.out_channels, "bias");
  if (!conv.norm) return;
  const BatchNorm& norm = *conv.norm;
  check_size(norm.running_mean, conv.out_channels, "norm's running mean");
  check_size(norm.running_var, conv.out_channels, "norm's running variance");
  if (!norm.weight.empty()) check_size(norm.weight, conv.out_channels, "norm's weight");
  if (!norm.bias.empty()) check_size(norm.bias, conv.out_channels, "norm's bias");
}

FoldedConvolution fold(const Convolution& conv) {
  const auto out = static_cast<std::size_t>(conv.out_channels);
  FoldedConvolution folded{{conv.weight.begin(), conv.weight.end()}, std::vector<float>(out, 0.0f)};
  if (!conv.bias.empty()) std::copy(conv.bias.begin(), conv.bias.end(), folded.bias.begin());
  if (!conv.norm) return folded;

  const BatchNorm& norm = *conv.norm;
  const std::size_t per_channel = folded.weight.size() / out;
  for (std::size_t c = 0; c < out; ++c) {
    const double gamma = norm.weight.empty() ? 1.0 : norm.weight[c];
    const double beta = norm.bias.empty() ? 0.0 : norm.bias[c];
    const double scale = gamma / std::sqrt(static_cast<double>(norm.running_var[c]) + norm.eps);
    for (std::size_t i = c * per_channel; i < (c + 1) * per_channel; ++i)
      folded.weight[i] = static_cast<float>(static_cast<double>(folded.weight[i]) * scale);
    folded.bias[c] = static_cast<float>(
        (static_cast<double>(folded.bias[c]) - norm.running_mean[c]) * scale + beta);
  }
  return folded;
}

}  // namespace chorus::graph
