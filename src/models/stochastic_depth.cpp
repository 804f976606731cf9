#include "models/stochastic_depth.hpp"

namespace chorus::models {

torch::Tensor stochastic_depth(const torch::Tensor& x, double p) {
  const double survival = 1.0 - p;
  std::vector<std::int64_t> shape(static_cast<std::size_t>(x.dim()), 1);
  shape[0] = x.size(0);
  torch::Tensor keep = torch::empty(shape, x.options()).bernoulli_(survival);
  if (survival > 0.0) keep.div_(survival);
  return x * keep;
}

}  // namespace chorus::models
