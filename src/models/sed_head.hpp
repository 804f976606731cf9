#pragma once
// Sound-event-detection head: from a backbone's feature map to clip-level and frame-level class
// scores, as the BirdCLEF SED models compute them (PANNs' AttBlockV2, Kong et al. 2020, in the
// form of the Kaggle "TimmSED" notebooks used by BirdCLEF 2021–2023 winners):
//   mean over frequency → max_pool1d(3, 1, 1) + avg_pool1d(3, 1, 1) over time → dropout →
//   fc1 + ReLU → dropout → attention block: att = softmax_t(tanh(att(x))), cla = cla(x);
//   clip logits Σ_t att·cla, clip probabilities Σ_t att·σ(cla), frame probabilities σ(cla).
// State-dict names fc1, att_block.att, att_block.cla are those notebooks' names, so their
// checkpoints' heads load unchanged.

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

namespace chorus::models {

struct SedOutput {
  torch::Tensor clip_logits;          // [N, classes]: Σ_t attention · frame logits (for BCE)
  torch::Tensor clip_probabilities;   // [N, classes]: Σ_t attention · σ(frame logits)
  torch::Tensor frame_probabilities;  // [N, T', classes], T' the feature map's time steps
  torch::Tensor attention;            // [N, classes, T'], sums to 1 over time
};

// PANNs' AttBlockV2 with a sigmoid class activation: 1×1 convolutions over time named att, cla.
class AttentionBlockImpl : public torch::nn::Module {
 public:
  AttentionBlockImpl(int in_features, int num_classes);
  // x [N, in_features, T'] → attention [N, classes, T'] and frame logits [N, classes, T'].
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& x);
  const torch::nn::Conv1dImpl& att() const { return *att_; }
  const torch::nn::Conv1dImpl& cla() const { return *cla_; }

 private:
  torch::nn::Conv1d att_{nullptr};
  torch::nn::Conv1d cla_{nullptr};
};
TORCH_MODULE(AttentionBlock);

class SedHeadImpl : public torch::nn::Module {
 public:
  SedHeadImpl(int in_features, int num_classes, double dropout);
  // features [N, in_features, F', T'] (a backbone's output for a [N, C, mels, frames] input).
  SedOutput forward(const torch::Tensor& features);
  const torch::nn::LinearImpl& fc1() const { return *fc1_; }
  const AttentionBlockImpl& attention_block() const { return *att_block_; }

 private:
  torch::nn::Linear fc1_{nullptr};
  AttentionBlock att_block_{nullptr};
  double dropout_ = 0.5;
};
TORCH_MODULE(SedHead);

}  // namespace chorus::models
