#pragma once
// What `chorus calibrate` measured of a network for int8 inference, stored in its checkpoint.
//
// int8 needs, for every convolution that runs in int8, the range of the activations it reads:
// the input is mapped onto 256 integer levels over that range, so the range must be measured on
// real windows (a sample of the recordings the model will score) rather than guessed. Weight
// scales need no data (each output channel's own maximum |w|) and are derived when the network
// is compiled. The entries follow the order in which the architecture's lowering
// (models/lowering.hpp) visits its convolutions; each also records the channels it convolves so
// that a calibration of another network is refused instead of misapplied.

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/enum_names.hpp"

namespace chorus::graph {

// Why a convolution keeps float inputs in an int8 network.
enum class Int8Fallback {
  none,        // runs in int8
  first,       // reads the spectrogram itself: one channel, few products, and every later
               // layer inherits its error
  one_by_one,  // its input is 1×1 (squeeze-excitation): no work worth saving
};

// The ± levels of int8 weights, with VNNI and without it (graph::weight_levels() says why and
// which the CPU takes).
constexpr int kWeightLevelsVnni = 127;
constexpr int kWeightLevelsWithoutVnni = 63;

struct Int8Calibration {
  struct Convolution {
    std::int64_t in_channels = 0, out_channels = 0;
    float input_min = 0, input_max = 0;  // over every calibration window
    Int8Fallback fallback = Int8Fallback::none;
    // Relative RMS error of this convolution's output when only its own input and weights are
    // quantised (measured on a few calibration windows; 0 for fallbacks): which layers cost most.
    float error = 0;
  };
  std::vector<Convolution> convolutions;  // in lowering order
  std::int64_t windows = 0;               // calibration windows seen
  // The ± levels the weights were quantised to when the errors were measured: those of the
  // calibrating CPU's int8 kernels (graph::weight_levels()). Calibrations stored before chorus
  // recorded this were measured with VNNI's.
  int weight_levels = kWeightLevelsVnni;

  bool empty() const { return convolutions.empty(); }
  int quantized() const;  // convolutions without a fallback
  // "convolution 12 (96 → 24 channels): 2.1 %; …" for the `count` int8 convolutions with the
  // largest own error (empty when none runs in int8).
  std::string largest_errors(std::size_t count) const;

  nlohmann::json to_json() const;
  // FormatError naming `source` when the record is incomplete or holds impossible values.
  static Int8Calibration from_json(const nlohmann::json& json, const std::string& source);
};

}  // namespace chorus::graph

template <>
struct chorus::core::EnumNames<chorus::graph::Int8Fallback> {
  static constexpr std::array<std::string_view, 3> names{"none", "first", "one_by_one"};
};
