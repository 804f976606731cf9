#include "data/class_values.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "data/csv_table.hpp"

namespace chorus::data {

std::vector<double> read_class_values(const std::filesystem::path& path,
                                      const std::vector<std::string>& classes,
                                      const std::string& value_column) {
  const CsvTable table = CsvTable::read(path);
  const std::size_t name = table.column("class"), value = table.column(value_column);
  std::vector<double> values(classes.size(), 1.0);
  for (std::size_t r = 0; r < table.rows(); ++r) {
    const auto it = std::find(classes.begin(), classes.end(), table.at(r, name));
    if (it == classes.end())
      table.fail(r, fmt::format("class '{}' is not among the model's classes", table.at(r, name)));
    const double v = table.number(r, value);
    if (v <= 0) table.fail(r, fmt::format("{} {} must be > 0", value_column, v));
    values[static_cast<std::size_t>(it - classes.begin())] = v;
  }
  return values;
}

}  // namespace chorus::data
