#pragma once
// Counts the multiply-accumulates (MACs) a forward pass really performs, by watching the ATen
// operators it dispatches (an at::RecordFunction callback on the calling thread): convolutions
// (aten::convolution, grouped and transposed included) and matrix products (aten::linear,
// addmm, mm, bmm, matmul, each counted once: a linear's inner addmm is not counted again),
// from their input shapes. Element-wise work (norms, activations, pooling, the SE product) is
// not counted: the convention of torchvision's and fvcore's published figures, which call
// MACs "FLOPs" (torchvision's 1.81 GFLOPS for resnet18 is 1.82 G MACs). 1 MAC = 2 FLOP.

#include <functional>
#include <map>
#include <string>

namespace chorus::models {

struct MacCount {
  double total = 0;                     // multiply-accumulates
  std::map<std::string, double> by_op;  // aten operator → its MACs
  double flops() const { return 2 * total; }
};

// Runs `forward` (on this thread) and counts what it dispatches. Not reentrant.
MacCount count_macs(const std::function<void()>& forward);

}  // namespace chorus::models
