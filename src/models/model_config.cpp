#include "models/model_config.hpp"

#include <fmt/ranges.h>

#include <algorithm>

#include "core/error.hpp"
#include "models/model_registry.hpp"

namespace chorus::models {
void ModelConfig::register_fields(core::ConfigFields& f) {
  f.add("arch", &arch,
        "network architecture (regnety_008, regnety_016: timm's names for regnet_y_800mf, "
        "regnet_y_1_6gf)",
        model_names_and_aliases());
  f.add("in_channels", &in_channels, "input planes (1 = log-mel, 3 = RGB)").within(1, 64);
  f.add("num_classes", &num_classes, "outputs, one per class").at_least(1);
  f.add("dropout", &dropout,
        "probability, before the head's linear layer; -1 = the architecture's default "
        "(efficientnet_b2/b3 0.3, others 0.2)")
      .at_least(0)
      .below(1)
      .or_special(-1, "for the architecture's default");
  f.add("stochastic_depth", &stochastic_depth,
        "probability that the last residual block skips its branch in training (earlier blocks "
        "scale linearly down to 0; efficientnet 0.2, resnet and regnet 0 by default)")
      .at_least(0)
      .below(1)
      .or_special(-1, "for the architecture's default");
  f.add("head", &head,
        "linear: the architecture's pooling + classifier; gem: generalised-mean pooling + "
        "linear; sed: attention SED head with framewise outputs");
  f.add("gem_p", &gem_p, "initial GeM exponent p (learnable; head = gem)").within(1, 100);
  f.add("coord_conv", &coord_conv,
        "add a frequency-coordinate input plane (-1 at the lowest mel to +1 at the highest)");
}

void ModelConfig::validate() const {
  const std::vector<std::string> known = model_names_and_aliases();
  CHORUS_CHECK_AS(ConfigError, std::find(known.begin(), known.end(), arch) != known.end(),
                  "model.arch = '{}': unknown (expected one of {})", arch, fmt::join(known, ", "));
  core::check_declared(*this);
}

double ModelConfig::resolved_dropout() const {
  return dropout >= 0 ? dropout : find_model(arch).default_dropout;
}

double ModelConfig::resolved_stochastic_depth() const {
  return stochastic_depth >= 0 ? stochastic_depth : find_model(arch).default_stochastic_depth;
}

}  // namespace chorus::models
