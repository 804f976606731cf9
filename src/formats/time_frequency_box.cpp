#include "formats/time_frequency_box.hpp"

#include <fmt/format.h>

namespace chorus::formats {

double non_negative_number(const CsvTable& table, std::size_t row, std::size_t column) {
  const double value = table.number(row, column);
  if (value < 0)
    table.fail(row, fmt::format("column '{}': {} is negative", table.header()[column], value));
  return value;
}

TimeFrequencyBoxReader::TimeFrequencyBoxReader(const CsvTable& table, std::string_view begin,
                                               std::string_view end, std::string_view low,
                                               std::string_view high)
    : table_(table),
      begin_(table.column(begin)),
      end_(table.column(end)),
      low_(table.column(low)),
      high_(table.column(high)) {}

TimeFrequencyBox TimeFrequencyBoxReader::read(std::size_t row) const {
  TimeFrequencyBox box;
  box.begin_s = non_negative_number(table_, row, begin_);
  box.end_s = non_negative_number(table_, row, end_);
  box.low_hz = non_negative_number(table_, row, low_);
  box.high_hz = non_negative_number(table_, row, high_);
  check_below(row, begin_, box.begin_s, end_, box.end_s);
  check_below(row, low_, box.low_hz, high_, box.high_hz);
  return box;
}

void TimeFrequencyBoxReader::check_below(std::size_t row, std::size_t lower, double low,
                                         std::size_t upper, double high) const {
  if (low >= high)
    table_.fail(row, fmt::format("'{}' {} is not below '{}' {}", table_.header()[lower], low,
                                 table_.header()[upper], high));
}

}  // namespace chorus::formats
