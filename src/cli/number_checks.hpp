#pragma once
// Checks of numeric options whose failures say what was expected: CLI11's own ranges print their
// open bound as a 309-digit number ("not in range 0.000000 to 1797693…").

#include <CLI/CLI.hpp>

namespace chorus::cli {

CLI::Validator positive_number();      // > 0
CLI::Validator non_negative_number();  // ≥ 0
CLI::Validator fraction();             // 0 to 1

}  // namespace chorus::cli
