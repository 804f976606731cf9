#pragma once
// Sorting a class's scores is nearly all the cost of ROC-AUC and average precision, and a
// comparison sort of 50 000 doubles takes milliseconds per class. An LSD radix sort on the bit
// patterns is linear, and skips the digits all values share: the low 29 bits of a float32
// score widened to double are zero, so model outputs cost half the passes.

#include <cstdint>
#include <vector>

namespace chorus::metrics {

// Highest first. Values must not be NaN; -0.0 sorts next to 0.0 but on its own side of it.
// `scratch` is working memory, reused across calls.
void sort_descending(std::vector<double>& values, std::vector<std::uint64_t>& scratch);

}  // namespace chorus::metrics
