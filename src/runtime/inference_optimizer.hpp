#pragma once
// Prepares a trained network for inference without changing what it computes (outputs within
// 1e-4 of the unoptimised model; tests/runtime/inference_optimizer_test):
//   - eval mode;
//   - every BatchNorm2d that directly follows a Conv2d is folded into it (W' = W·γ/σ,
//     b' = (b − μ)·γ/σ + β, computed in double) and becomes a free identity;
//   - every SiLU in a Sequential runs as models::FastSiLU (vectorised; LibTorch's is scalar here);
//   - 4-D weights in channels-last (NHWC) layout, which oneDNN convolves without reordering
//     every activation to its blocked layout and back (measured in BENCHMARKS.md, "Models").
// Works on any torch::nn::Module tree; it finds Conv→BN pairs
//   - in Sequentials (nn.Sequential, models::Layers): child i a BatchNorm2d, child i − 1 a Conv2d
//     (torchvision's Conv2dNormActivation "0"/"1", ResNet's downsample "0"/"1");
//   - among named children by torchvision's naming: "bn<K>" after "conv<K>" (ResNet's
//     conv1/bn1, conv2/bn2 — this naming always means the norm of that convolution's output).
// A norm is folded only where it can then be skipped: a models::FoldableBatchNorm2d anywhere, or
// any BatchNorm2d inside a Sequential (replaced by an Identity there). Others are left working
// and reported by name, so a new architecture that escapes the rules shows up in the report.
//
// The result is for inference only: folded norms refuse to train.

#include <torch/nn/module.h>

#include <string>
#include <vector>

namespace chorus::runtime {

struct InferenceOptions {
  bool fold_batch_norms = true;
  bool fast_silu = true;      // SiLU modules in Sequentials replaced by FastSiLU
  bool channels_last = true;  // NHWC weights; feed inputs through inference_input()
};

struct InferenceReport {
  int batch_norms = 0;            // BatchNorm2d modules found
  int folded = 0;                 // of them folded into their convolution
  std::vector<std::string> left;  // names of the norms not folded
  int silus_replaced = 0;         // SiLU modules now FastSiLU
  bool channels_last = false;

  // "folded 49 of 49 BatchNorm2d into their convolutions; 49 SiLU vectorised; channels-last
  // weights"
  std::string describe() const;
};

InferenceReport optimize_for_inference(torch::nn::Module& model,
                                       const InferenceOptions& options = {});

// Every torch::nn::SiLU in a Sequential becomes a models::FastSiLU; returns how many. Inference
// does it through InferenceOptions::fast_silu; bf16 training too (FastSiLU's own backward).
int replace_silus(torch::nn::Module& model);

// `x` [N, C, H, W] in the layout the optimised model expects (a copy when it differs).
at::Tensor inference_input(const at::Tensor& x, const InferenceOptions& options);

}  // namespace chorus::runtime
