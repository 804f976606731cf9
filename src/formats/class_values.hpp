#pragma once
// A number per class from a two-column CSV (`class` and a value column): per-class odds factors
// for post-processing (priors, > 0), per-class loss weights for training (≥ 0: 0 leaves a class
// out). Classes the file does not list keep 1; a name that is not a class, a class listed twice
// or a value out of range is a FormatError naming the file and line.

#include <filesystem>
#include <string>
#include <vector>

namespace chorus::formats {

enum class ValueRange { positive, non_negative };

std::vector<double> read_class_values(const std::filesystem::path& path,
                                      const std::vector<std::string>& classes,
                                      const std::string& value_column, ValueRange range);

}  // namespace chorus::formats
