#include "cli/number_checks.hpp"

#include <charconv>
#include <cmath>
#include <string>

namespace chorus::cli {
namespace {

// A validator that accepts a finite number for which `ok` holds, else says `expected`.
template <typename Ok>
CLI::Validator number_check(Ok ok, const std::string& expected, const std::string& name) {
  return CLI::Validator(
      [ok, expected](std::string& value) -> std::string {
        double x = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), x);
        if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(x) || !ok(x))
          return "'" + value + "': expected " + expected;
        return {};
      },
      "", name);
}

}  // namespace

CLI::Validator positive_number() {
  return number_check([](double x) { return x > 0; }, "a positive number", "POSITIVE");
}

CLI::Validator non_negative_number() {
  return number_check([](double x) { return x >= 0; }, "0 or a positive number", "NONNEGATIVE");
}

CLI::Validator fraction() {
  return number_check([](double x) { return x >= 0 && x <= 1; }, "a number from 0 to 1",
                      "FRACTION");
}

}  // namespace chorus::cli
