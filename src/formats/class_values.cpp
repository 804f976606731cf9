#include "formats/class_values.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "formats/csv_table.hpp"

namespace chorus::formats {

std::vector<double> read_class_values(const std::filesystem::path& path,
                                      const std::vector<std::string>& classes,
                                      const std::string& value_column, ValueRange range) {
  const CsvTable table = CsvTable::read(path);
  const std::size_t name = table.column("class"), value = table.column(value_column);
  std::vector<double> values(classes.size(), 1.0);
  std::vector<bool> listed(classes.size(), false);
  for (std::size_t r = 0; r < table.rows(); ++r) {
    const std::string& class_name = table.text(r, name);
    const auto it = std::find(classes.begin(), classes.end(), class_name);
    if (it == classes.end())
      table.fail(r, fmt::format("class '{}' is not among the model's classes", class_name));
    const auto c = static_cast<std::size_t>(it - classes.begin());
    if (listed[c]) table.fail(r, fmt::format("class '{}' is listed twice", class_name));
    const double v = table.number(r, value);
    if (range == ValueRange::positive && v <= 0)
      table.fail(r, fmt::format("{} {} of class '{}' must be > 0", value_column, v, class_name));
    if (range == ValueRange::non_negative && v < 0)
      table.fail(r, fmt::format("{} {} of class '{}' must be ≥ 0", value_column, v, class_name));
    values[c] = v;
    listed[c] = true;
  }
  return values;
}

}  // namespace chorus::formats
