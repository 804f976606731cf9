#pragma once
// A number per class from a two-column CSV (`class` and a value column): per-class odds factors
// for post-processing (priors), per-class loss weights for training. Classes the file does not
// list keep 1; a listed name that is not a class, or a value that is not > 0, is a FormatError
// naming the file and line.

#include <filesystem>
#include <string>
#include <vector>

namespace chorus::data {

std::vector<double> read_class_values(const std::filesystem::path& path,
                                      const std::vector<std::string>& classes,
                                      const std::string& value_column);

}  // namespace chorus::data
