#pragma once
// The small network of the optimiser and EMA tests (and of tests/oracles/adamw_oracle.py): a
// convolution and a linear layer (weights of 3 and 2 dimensions), biases and a BatchNorm (1
// dimension, and the integer buffer num_batches_tracked).

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

namespace chorus::testing {

struct TinyNetImpl : torch::nn::Module {
  TinyNetImpl()
      : conv(register_module("conv", torch::nn::Conv1d(torch::nn::Conv1dOptions(2, 3, 3)))),
        norm(register_module("norm", torch::nn::BatchNorm1d(3))),
        fc(register_module("fc", torch::nn::Linear(3, 2))) {}
  torch::nn::Conv1d conv;
  torch::nn::BatchNorm1d norm;
  torch::nn::Linear fc;
};
TORCH_MODULE(TinyNet);

}  // namespace chorus::testing
