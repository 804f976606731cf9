#include "train/class_weights.hpp"

#include <vector>

#include "formats/class_values.hpp"

namespace chorus::train {

torch::Tensor read_class_weights(const std::filesystem::path& path,
                                 const std::vector<std::string>& classes) {
  const std::vector<double> w =
      formats::read_class_values(path, classes, "weight", formats::ValueRange::non_negative);
  return torch::tensor(std::vector<float>(w.begin(), w.end()), torch::kFloat32);
}

}  // namespace chorus::train
