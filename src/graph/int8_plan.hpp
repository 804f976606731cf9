#pragma once
// How a calibrated network runs in int8 (infer.precision = int8): which convolutions take int8
// input, on which scale, and which operations write their output straight in int8.
//
// A convolution in int8 reads unsigned 8-bit input whose 256 steps span the calibrated range
// (graph/int8_calibration.hpp) with a zero point where it holds negative values: SiLU's outputs
// run from −0.28 to 10 or more, and a range symmetric around zero would spend half the steps on
// values that never occur (measured: each EfficientNet-B0 layer's own error halves); after a ReLU
// the zero point is 0. Its weights are signed 8-bit, symmetric, with a
// scale per output channel, it accumulates in int32 and rescales to float before the fused
// activation and residual sum. An operation whose output only that convolution reads (an
// expansion convolution before a depthwise one, ResNet's first convolution of a block, the
// squeeze-excitation product before a projection) writes it in int8 on that scale directly;
// every other value between layers stays float32, and so does everything of a convolution that
// calibration left in float (Int8Fallback), so the int8 error does not pile up through residuals.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "graph/graph_builder.hpp"
#include "graph/int8_calibration.hpp"

namespace chorus::graph {

// real value ≈ scale · (q − zero_point), q in [0, 255] (unsigned 8-bit).
struct Int8Quantization {
  float scale = 1;
  std::int32_t zero_point = 0;
};

// The quantisation of a convolution's input that covers its calibrated range.
Int8Quantization input_quantization(const Int8Calibration::Convolution& calibration);
// Per-output-channel scales of weights [O, …]: max |w| of each channel over `levels` (1 for a
// channel of zeros).
std::vector<float> weight_scales(std::span<const float> weight, std::int64_t out_channels,
                                 int levels = 127);
// The weight levels the CPU's int8 kernels can take: ±127 with VNNI; ±63 without, where the
// kernels add pairs of u8 × s8 products in 16 bits (255 · 127 · 2 overflows them, 255 · 63 · 2
// does not).
int weight_levels();

struct Int8Plan {
  // Per convolution, in lowering order: its input's quantisation, none where it stays float.
  std::vector<std::optional<Int8Quantization>> inputs;
  // Per operation, in the order the lowering calls the GraphBuilder: the convolution whose
  // quantised input this operation writes as its output, or −1 (a float output).
  std::vector<int> writes_input_of;
};

// A network's inference pass: it describes itself to `graph` from the input value `x` and
// returns its output (for a models::Backbone, its lower_features).
using Lowering = std::function<GraphValue(GraphBuilder& graph, GraphValue x)>;

// The plan for the network `lowering` describes from its calibration: a ModelError when the
// calibration was measured on another network (other convolutions, or another number of them).
Int8Plan plan_int8(const Lowering& lowering, const Int8Calibration& calibration);

}  // namespace chorus::graph
