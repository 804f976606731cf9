#include "models/fast_silu.hpp"

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/types.h>

#include <cstdint>

#include "graph/silu.hpp"

namespace chorus::models {
namespace {

bool dense(const torch::Tensor& x) {
  return x.is_contiguous() || x.is_contiguous(torch::MemoryFormat::ChannelsLast);
}

// Whether graph/silu's kernels take `x`: dense on the CPU, float32 (AVX-512, or AVX2 and FMA) or
// bf16 (AVX-512 only), and with `gradient`, AVX-512 for either.
bool kernel_takes(const torch::Tensor& x, bool gradient) {
  if (!x.device().is_cpu() || !dense(x)) return false;
  if (x.scalar_type() == torch::kFloat32)
    return gradient ? graph::has_silu_kernel() : graph::has_float32_silu_kernel();
  return x.scalar_type() == torch::kBFloat16 && graph::has_silu_kernel();
}

// Runs `kernel(begin, end)` over the elements of dense tensors of one layout, split over
// LibTorch's threads (same sizes and strides, so element i of one is element i of the others).
template <typename Kernel>
void for_elements(const torch::Tensor& x, Kernel kernel) {
  at::parallel_for(0, x.numel(), 1 << 15, [&](std::int64_t begin, std::int64_t end) {
    kernel(static_cast<std::size_t>(begin), static_cast<std::size_t>(end - begin));
  });
}

template <typename T>
T* elements(const torch::Tensor& t) {
  return static_cast<T*>(t.data_ptr());
}

torch::Tensor silu_values(const torch::Tensor& x) {
  torch::Tensor y = torch::empty_like(x);  // x's layout: channels-last stays channels-last
  if (x.scalar_type() == torch::kFloat32)
    for_elements(x, [&](std::size_t at, std::size_t count) {
      graph::silu(elements<float>(x) + at, elements<float>(y) + at, count);
    });
  else
    for_elements(x, [&](std::size_t at, std::size_t count) {
      graph::silu_bf16(elements<std::uint16_t>(x) + at, elements<std::uint16_t>(y) + at, count);
    });
  return y;
}

// SiLU under autograd on graph/silu's kernels. LibTorch 1.13's own is vectorised in float32 but
// converts bf16 one element at a time, forward and backward: in bf16 training (autocast hands
// SiLU the BatchNorms' bf16 outputs) it cost more than the float32 SiLU it replaced.
struct SiluFunction : torch::autograd::Function<SiluFunction> {
  static torch::Tensor forward(torch::autograd::AutogradContext* context, const torch::Tensor& x) {
    context->save_for_backward({x});
    return silu_values(x);
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* context,
                                                 const torch::autograd::variable_list& gradients) {
    const torch::Tensor x = context->get_saved_variables()[0];
    // The incoming gradient in x's type and strides, so that their elements pair up: itself
    // where it has them, else a copy into x's layout.
    const torch::Tensor& incoming = gradients[0];
    const torch::Tensor dy =
        incoming.scalar_type() == x.scalar_type() && incoming.strides() == x.strides()
            ? incoming
            : torch::empty_like(x).copy_(incoming);
    torch::Tensor dx = torch::empty_like(x);
    if (x.scalar_type() == torch::kFloat32)
      for_elements(x, [&](std::size_t at, std::size_t count) {
        graph::silu_gradient(elements<float>(x) + at, elements<float>(dy) + at,
                             elements<float>(dx) + at, count);
      });
    else
      for_elements(x, [&](std::size_t at, std::size_t count) {
        graph::silu_gradient_bf16(elements<std::uint16_t>(x) + at, elements<std::uint16_t>(dy) + at,
                                  elements<std::uint16_t>(dx) + at, count);
      });
    return {dx};
  }
};

}  // namespace

torch::Tensor FastSiLUImpl::forward(const torch::Tensor& x) {
  const bool gradient = torch::GradMode::is_enabled() && x.requires_grad();
  if (!kernel_takes(x, gradient)) return torch::silu(x);
  return gradient ? SiluFunction::apply(x) : silu_values(x);
}

}  // namespace chorus::models
