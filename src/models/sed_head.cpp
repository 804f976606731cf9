#include "models/sed_head.hpp"

#include <torch/nn/functional/dropout.h>
#include <torch/nn/functional/pooling.h>
#include <torch/types.h>

namespace chorus::models {

namespace F = torch::nn::functional;

AttentionBlockImpl::AttentionBlockImpl(int in_features, int num_classes)
    : att_(register_module(
          "att", torch::nn::Conv1d(torch::nn::Conv1dOptions(in_features, num_classes, 1)))),
      cla_(register_module(
          "cla", torch::nn::Conv1d(torch::nn::Conv1dOptions(in_features, num_classes, 1)))) {}

std::pair<torch::Tensor, torch::Tensor> AttentionBlockImpl::forward(const torch::Tensor& x) {
  return {torch::softmax(torch::tanh(att_(x)), -1), cla_(x)};
}

SedHeadImpl::SedHeadImpl(int in_features, int num_classes, double dropout)
    : fc1_(register_module("fc1", torch::nn::Linear(in_features, in_features))),
      att_block_(register_module("att_block", AttentionBlock(in_features, num_classes))),
      dropout_(dropout) {}

SedOutput SedHeadImpl::forward(const torch::Tensor& features) {
  const auto drop = F::DropoutFuncOptions().p(dropout_).training(is_training());
  torch::Tensor x = features.mean(2);  // [N, C, T']
  // Smoothing over neighbouring frames: the peak and the mean of each 3-frame window.
  x = F::max_pool1d(x, F::MaxPool1dFuncOptions(3).stride(1).padding(1)) +
      F::avg_pool1d(x, F::AvgPool1dFuncOptions(3).stride(1).padding(1));
  x = F::dropout(x, drop);
  x = torch::relu(fc1_(x.transpose(1, 2))).transpose(1, 2);
  x = F::dropout(x, drop);
  auto [attention, frame_logits] = att_block_(x);
  SedOutput out;
  out.clip_logits = (attention * frame_logits).sum(2);
  const torch::Tensor frame_probabilities = frame_logits.sigmoid();
  out.clip_probabilities = (attention * frame_probabilities).sum(2);
  out.frame_probabilities = frame_probabilities.transpose(1, 2);
  out.attention = attention;
  return out;
}

}  // namespace chorus::models
