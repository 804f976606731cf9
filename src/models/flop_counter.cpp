#include "models/flop_counter.hpp"

#include <ATen/record_function.h>
#include <torch/types.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "core/error.hpp"

namespace chorus::models {
namespace {

// The count being taken on this thread, and how many counted operators we are inside.
thread_local MacCount* active_count = nullptr;
thread_local int counted_depth = 0;

constexpr std::array<std::string_view, 6> kCountedOps{
    "aten::convolution", "aten::linear", "aten::addmm", "aten::mm", "aten::bmm", "aten::matmul"};

bool is_counted(std::string_view op) {
  return std::find(kCountedOps.begin(), kCountedOps.end(), op) != kCountedOps.end();
}

double product(c10::IntArrayRef values, std::size_t from = 0, std::size_t to = SIZE_MAX) {
  double p = 1;
  for (std::size_t i = from; i < std::min(to, values.size()); ++i)
    p *= static_cast<double>(values[i]);
  return p;
}

// aten::convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding,
// groups). weight is [out, in/groups, k…] ([in, out/groups, k…] when transposed); each output
// element of a convolution (each input element of a transposed one) takes in/groups · k… MACs.
double convolution_macs(c10::ArrayRef<const c10::IValue> in) {
  const auto x = in[0].toTensor().sizes();
  const auto w = in[1].toTensor().sizes();
  const double per_position = product(w, 1);  // channels per group × kernel
  if (in[6].toBool())
    return product(x, 2) * static_cast<double>(x[0]) * static_cast<double>(x[1]) * per_position;
  const auto stride = in[3].toIntVector(), padding = in[4].toIntVector(),
             dilation = in[5].toIntVector();
  double positions = 1;
  for (std::size_t d = 0; d + 2 < x.size(); ++d) {
    const std::int64_t extent = dilation[d] * (w[d + 2] - 1) + 1;
    positions *= static_cast<double>((x[d + 2] + 2 * padding[d] - extent) / stride[d] + 1);
  }
  return static_cast<double>(x[0]) * static_cast<double>(w[0]) * positions * per_position;
}

// a [..., n, k] times b [..., k, m] with broadcast batch dimensions (1-D operands as matmul
// treats them: a row, a column).
double matmul_macs(c10::IntArrayRef a, c10::IntArrayRef b) {
  const double n = a.size() >= 2 ? static_cast<double>(a[a.size() - 2]) : 1;
  const double k = static_cast<double>(a.back());
  const double m = b.size() >= 2 ? static_cast<double>(b.back()) : 1;
  const std::size_t a_batch = a.size() > 2 ? a.size() - 2 : 0,
                    b_batch = b.size() > 2 ? b.size() - 2 : 0;
  double batch = 1;
  for (std::size_t i = 0; i < std::max(a_batch, b_batch); ++i) {
    const std::int64_t da = i < a_batch ? a[a_batch - 1 - i] : 1,
                       db = i < b_batch ? b[b_batch - 1 - i] : 1;
    batch *= static_cast<double>(std::max(da, db));
  }
  return batch * n * k * m;
}

double operator_macs(std::string_view op, c10::ArrayRef<const c10::IValue> in) {
  const auto shape = [&](std::size_t i) { return in[i].toTensor().sizes(); };
  if (op == "aten::convolution") return convolution_macs(in);
  if (op == "aten::linear") return product(shape(0), 0, shape(0).size() - 1) * product(shape(1));
  if (op == "aten::addmm") return matmul_macs(shape(1), shape(2));
  return matmul_macs(shape(0), shape(1));  // mm, bmm, matmul
}

std::unique_ptr<at::ObserverContext> on_start(const at::RecordFunction& fn) {
  const std::string_view op = fn.name();
  if (active_count == nullptr || !is_counted(op)) return nullptr;
  if (counted_depth++ == 0) {
    const double macs = operator_macs(op, fn.inputs());
    active_count->total += macs;
    active_count->by_op[std::string(op)] += macs;
  }
  return nullptr;
}

void on_end(const at::RecordFunction& fn, at::ObserverContext*) {
  if (active_count != nullptr && is_counted(fn.name())) --counted_depth;
}

}  // namespace

MacCount count_macs(const std::function<void()>& forward) {
  CHORUS_DCHECK(active_count == nullptr);
  MacCount count;
  active_count = &count;
  counted_depth = 0;
  const at::CallbackHandle handle =
      at::addThreadLocalCallback(at::RecordFunctionCallback(on_start, on_end)
                                     .needsInputs(true)
                                     .scopes({at::RecordScope::FUNCTION}));
  try {
    forward();
  } catch (...) {
    at::removeCallback(handle);
    active_count = nullptr;
    throw;
  }
  at::removeCallback(handle);
  active_count = nullptr;
  return count;
}

}  // namespace chorus::models
