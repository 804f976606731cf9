#include "models/model_config.hpp"

#include <fmt/ranges.h>

#include <algorithm>

#include "core/error.hpp"
#include "models/model_registry.hpp"

namespace chorus::models {

void ModelConfig::register_fields(core::ConfigFields& f) {
  f.add("arch", &arch, "network architecture", model_names());
  f.add("in_channels", &in_channels, "input planes (1 = log-mel, 3 = RGB)");
  f.add("num_classes", &num_classes, "outputs, one per class");
  f.add("dropout", &dropout, "probability, before the classifier's linear layer");
}

void ModelConfig::validate() const {
  const std::vector<std::string> known = model_names();
  CHORUS_CHECK_AS(ConfigError, std::find(known.begin(), known.end(), arch) != known.end(),
                  "model.arch = '{}': unknown (expected one of {})", arch, fmt::join(known, ", "));
  CHORUS_CHECK_AS(ConfigError, in_channels >= 1 && in_channels <= 64,
                  "model.in_channels = {}: expected 1..64", in_channels);
  CHORUS_CHECK_AS(ConfigError, num_classes >= 1, "model.num_classes = {}: expected ≥ 1",
                  num_classes);
  CHORUS_CHECK_AS(ConfigError, dropout >= 0 && dropout < 1,
                  "model.dropout = {}: expected 0 ≤ dropout < 1", dropout);
}

}  // namespace chorus::models
