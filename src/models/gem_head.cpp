#include "models/gem_head.hpp"

#include <torch/types.h>

namespace chorus::models {

torch::Tensor gem_pool(const torch::Tensor& x, const torch::Tensor& p, double eps) {
  return x.clamp_min(eps).pow(p).mean({2, 3}).pow(p.reciprocal());
}

GemHeadImpl::GemHeadImpl(int in_features, int num_classes, double initial_p, double dropout)
    : p_(register_parameter("p", torch::full({1}, initial_p))),
      dropout_(register_module("dropout", torch::nn::Dropout(dropout))),
      fc_(register_module("fc", torch::nn::Linear(in_features, num_classes))) {}

torch::Tensor GemHeadImpl::forward(const torch::Tensor& features) {
  return fc_(dropout_(gem_pool(features, p_, kEps)));
}

}  // namespace chorus::models
