#include "data/targets.hpp"

#include "core/error.hpp"

namespace chorus::data {

Target clip_target(const formats::ClipRecord& clip, const formats::ClassList& classes,
                   const DataConfig& config) {
  const std::size_t n = classes.size();
  Target t{std::vector<float>(n, 0.0f), std::vector<float>(n, 1.0f), 1.0f};
  const std::size_t primary = classes.index(clip.primary_label);
  std::vector<std::size_t> secondary;
  for (const std::string& label : clip.secondary_labels) {
    const std::size_t index = classes.index(label);
    if (index != primary) secondary.push_back(index);
  }
  t.values[primary] = 1.0f;
  if (config.target == TargetPolicy::shared && !secondary.empty()) {
    t.values[primary] = 0.5f;
    for (std::size_t s : secondary) t.values[s] += 0.5f / static_cast<float>(secondary.size());
  } else if (config.target == TargetPolicy::masked) {
    for (std::size_t s : secondary) t.mask[s] = 0.0f;
  } else if (config.target == TargetPolicy::secondary) {
    for (std::size_t s : secondary) t.values[s] = static_cast<float>(config.secondary_value);
  }
  if (config.label_smoothing > 0) {
    const auto eps = static_cast<float>(config.label_smoothing);
    for (std::size_t c = 0; c < n; ++c)
      if (t.mask[c] > 0) t.values[c] = (1.0f - eps) * t.values[c] + eps / static_cast<float>(n);
  }
  if (config.rating_weight && clip.rating && *clip.rating > 0)
    t.weight = static_cast<float>(*clip.rating / 5.0);
  return t;
}

Target presence_target(std::span<const std::size_t> present, std::span<const std::size_t> absent,
                       std::size_t classes) {
  Target t{std::vector<float>(classes, 0.0f), std::vector<float>(classes, 0.0f), 1.0f};
  for (std::size_t c : absent) t.mask[c] = 1.0f;
  for (std::size_t c : present) {
    t.values[c] = 1.0f;
    t.mask[c] = 1.0f;
  }
  return t;
}

void blend_pseudo_labels(Target& target, std::span<const std::size_t> classes,
                         std::span<const float> pseudo, double c) {
  CHORUS_CHECK(pseudo.size() == classes.size(), "{} pseudo-labels for {} classes", pseudo.size(),
               classes.size());
  for (std::size_t k = 0; k < classes.size(); ++k) {
    float& y = target.values.at(classes[k]);
    y = static_cast<float>((1.0 - c) * y + c * pseudo[k]);
  }
}

}  // namespace chorus::data
