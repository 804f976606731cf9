#include "plot/axis_labels.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace chorus::plot {

double nice_step(double rough) {
  const double decade = std::pow(10.0, std::floor(std::log10(rough)));
  double step = decade;
  for (double multiple : {2.0, 5.0, 10.0})
    if (step < rough) step = multiple * decade;
  return step;
}

std::string format_multiple(double value, double step) {
  const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
  return fmt::format("{:.{}f}", value + 0.0, decimals);  // + 0.0 turns -0 into 0
}

std::string format_value(double value) {
  const double magnitude = std::abs(value);
  return magnitude >= 1e3 && magnitude < 1e7 ? fmt::format("{:.0f}", value)
                                             : fmt::format("{:.3g}", value + 0.0);
}

}  // namespace chorus::plot
