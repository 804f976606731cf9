#include "graph/int8_calibration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

#include "core/error.hpp"

namespace chorus::graph {

int Int8Calibration::quantized() const {
  return static_cast<int>(
      std::count_if(convolutions.begin(), convolutions.end(),
                    [](const Convolution& c) { return c.fallback == Int8Fallback::none; }));
}

std::string Int8Calibration::largest_errors(std::size_t count) const {
  std::vector<std::size_t> order(convolutions.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return convolutions[a].error > convolutions[b].error;
  });
  std::string text;
  for (std::size_t i = 0; i < std::min(count, order.size()); ++i) {
    const Convolution& c = convolutions[order[i]];
    if (c.fallback != Int8Fallback::none) break;
    text += fmt::format("{}convolution {} ({} → {} channels): {:.1f} %", text.empty() ? "" : "; ",
                        order[i], c.in_channels, c.out_channels, 100.0 * c.error);
  }
  return text;
}

nlohmann::json Int8Calibration::to_json() const {
  nlohmann::json list = nlohmann::json::array();
  for (const Convolution& c : convolutions)
    list.push_back({{"in_channels", c.in_channels},
                    {"out_channels", c.out_channels},
                    {"input_min", c.input_min},
                    {"input_max", c.input_max},
                    {"fallback", core::enum_name(c.fallback)},
                    {"error", c.error}});
  return {{"windows", windows}, {"weight_levels", weight_levels}, {"convolutions", list}};
}

Int8Calibration Int8Calibration::from_json(const nlohmann::json& json, const std::string& source) {
  Int8Calibration calibration;
  calibration.windows = json.at("windows").get<std::int64_t>();
  calibration.weight_levels = json.value("weight_levels", calibration.weight_levels);
  CHORUS_CHECK_AS(FormatError,
                  calibration.weight_levels == kWeightLevelsVnni ||
                      calibration.weight_levels == kWeightLevelsWithoutVnni,
                  "{}: int8 calibration names {} weight levels ({} or {})", source,
                  calibration.weight_levels, kWeightLevelsVnni, kWeightLevelsWithoutVnni);
  for (const nlohmann::json& entry : json.at("convolutions")) {
    Convolution c;
    c.in_channels = entry.at("in_channels").get<std::int64_t>();
    c.out_channels = entry.at("out_channels").get<std::int64_t>();
    c.input_min = entry.at("input_min").get<float>();
    c.input_max = entry.at("input_max").get<float>();
    c.error = entry.at("error").get<float>();
    const std::string fallback = entry.at("fallback").get<std::string>();
    const auto parsed = core::enum_from_name<Int8Fallback>(fallback);
    CHORUS_CHECK_AS(FormatError, parsed.has_value(),
                    "{}: int8 calibration names an unknown fallback '{}'", source, fallback);
    c.fallback = *parsed;
    const std::size_t index = calibration.convolutions.size();
    CHORUS_CHECK_AS(FormatError,
                    c.in_channels > 0 && c.out_channels > 0 && std::isfinite(c.input_min) &&
                        std::isfinite(c.input_max) && c.input_min <= c.input_max,
                    "{}: int8 calibration of convolution {} is damaged ({} → {} channels, input "
                    "range [{}, {}])",
                    source, index, c.in_channels, c.out_channels, c.input_min, c.input_max);
    calibration.convolutions.push_back(c);
  }
  CHORUS_CHECK_AS(FormatError, calibration.windows > 0 && !calibration.convolutions.empty(),
                  "{}: int8 calibration of {} convolutions from {} windows", source,
                  calibration.convolutions.size(), calibration.windows);
  return calibration;
}

}  // namespace chorus::graph
