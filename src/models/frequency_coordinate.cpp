#include "models/frequency_coordinate.hpp"

namespace chorus::models {

torch::Tensor add_frequency_coordinate(const torch::Tensor& x) {
  const std::int64_t mels = x.size(2);
  const torch::Tensor rows =
      mels > 1 ? torch::linspace(-1.0, 1.0, mels, x.options()) : torch::zeros({1}, x.options());
  const torch::Tensor plane = rows.view({1, 1, mels, 1}).expand({x.size(0), 1, mels, x.size(3)});
  return torch::cat({x, plane}, 1);
}

}  // namespace chorus::models
