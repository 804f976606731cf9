#pragma once
// How many threads a compiled model's forward pass uses for the Predictor's windows: the
// intra-op count a command sets up for each recording (runtime::set_torch_threads sets it
// together with LibTorch's own). Process-wide, as LibTorch's is; 1 until set.

namespace chorus::graph {

void set_inference_threads(int threads);  // at least 1
int inference_threads();

}  // namespace chorus::graph
