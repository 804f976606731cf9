#pragma once
// LibTorch's CPU autocast in bf16 for a scope: what `with torch.autocast("cpu",
// dtype=torch.bfloat16):` does in Python. Inside it, convolutions and matrix products cast their
// inputs and (cached) weights to bf16 and run oneDNN's bf16 kernels, accumulating in float32;
// the parameters stay float32 (the optimiser's master weights), gradients reach them in float32,
// and operations on autocast's float32 list keep float32. The trainer wraps the forward pass only:
// the loss and the backward pass run outside, on float32 outputs, as PyTorch recommends; training
// validation wraps the network it scores (infer::NetworkScorer) when infer.precision is bf16.

#include <c10/core/ScalarType.h>

namespace chorus::runtime {

class CpuAutocast {
 public:
  // Does nothing unless `enabled`.
  explicit CpuAutocast(bool enabled);
  ~CpuAutocast();
  CpuAutocast(const CpuAutocast&) = delete;
  CpuAutocast& operator=(const CpuAutocast&) = delete;

 private:
  bool enabled_;
  bool was_enabled_ = false;
  c10::ScalarType previous_dtype_ = c10::ScalarType::BFloat16;
};

}  // namespace chorus::runtime
