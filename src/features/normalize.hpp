#pragma once
// Per-window normalisations the winning pipelines apply to log-mel inputs.

#include <span>
#include <string_view>

namespace chorus::features {

enum class Normalization { none, minmax, standard };

// minmax: (x − min) / (max − min + 1e-7), BirdCLEF 2024 1st place.
// standard: (x − mean) / (std + 1e-7), population std.
void normalize(std::span<float> values, Normalization kind);

}  // namespace chorus::features
