#include "train/class_weights.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "data/csv_table.hpp"

namespace chorus::train {

torch::Tensor read_class_weights(const std::filesystem::path& path,
                                 const std::vector<std::string>& classes) {
  const data::CsvTable table = data::CsvTable::read(path);
  const std::size_t name_column = table.column("class"), weight_column = table.column("weight");
  std::vector<float> weights(classes.size(), 1.0f);
  std::vector<bool> listed(classes.size(), false);
  for (std::size_t r = 0; r < table.rows(); ++r) {
    const std::string& name = table.text(r, name_column);
    const auto it = std::find(classes.begin(), classes.end(), name);
    if (it == classes.end())
      table.fail(r, fmt::format("class '{}' is not among the model's classes", name));
    const auto c = static_cast<std::size_t>(it - classes.begin());
    if (listed[c]) table.fail(r, fmt::format("class '{}' is listed twice", name));
    const double weight = table.number(r, weight_column);
    if (weight < 0) table.fail(r, fmt::format("weight {} of class '{}' must be ≥ 0", weight, name));
    weights[c] = static_cast<float>(weight);
    listed[c] = true;
  }
  return torch::tensor(weights, torch::kFloat32);
}

}  // namespace chorus::train
