#pragma once
// Measures what int8 inference needs of a network (graph::Int8Calibration) on real windows:
// `chorus calibrate` feeds it windows of the recordings a model will score.
//
// It runs the network's lowering (the same operations the compiled graph runs) eagerly in
// LibTorch, float32, and records the range of every convolution's input. Which convolutions stay
// float is decided here and stored with the ranges (graph::Int8Fallback): the first one, and
// those whose input is 1×1. At the end each int8 convolution's own quantisation error is
// measured on the first windows seen, its input and weights quantised as the compiled graph
// quantises them on this CPU (weight levels included) and everything before it exact, so the
// report can say which layers cost most.

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "graph/int8_calibration.hpp"
#include "models/network.hpp"

namespace chorus::runtime {

class Int8Calibrator {
 public:
  // `network` in eval mode, as CompiledNetwork takes it (each convolution computed with its norm
  // folded in, as the graphs compute it); shared, not copied.
  explicit Int8Calibrator(std::shared_ptr<models::NetworkImpl> network);
  ~Int8Calibrator();

  // Records the windows x [N, in_channels, mels, frames] and returns the backbone's features for
  // them (what CompiledNetwork's graphs give). Safe to call from several threads at once.
  torch::Tensor observe(const torch::Tensor& x);
  std::int64_t windows() const;

  // The calibration of everything observed so far (ModelError before any window).
  graph::Int8Calibration result() const;

 private:
  struct Ranges;
  std::shared_ptr<models::NetworkImpl> network_;
  mutable std::mutex mutex_;
  std::unique_ptr<Ranges> ranges_;
  std::vector<torch::Tensor> error_sample_;  // the first windows, for the error measurement
};

}  // namespace chorus::runtime
