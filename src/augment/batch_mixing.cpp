#include "augment/batch_mixing.hpp"

#include "augment/spectrogram_augment.hpp"
#include "core/error.hpp"

namespace chorus::augment {

void mix_batch(std::vector<features::Spectrogram>& inputs, std::vector<data::Target>& targets,
               const AugmentConfig& c, Rng& rng) {
  CHORUS_CHECK(inputs.size() == targets.size(), "mixing {} inputs with {} targets", inputs.size(),
               targets.size());
  const std::size_t n = inputs.size();
  if (n < 2 || (c.mixup_p <= 0 && c.horizontal_cutmix_p <= 0)) return;
  const std::vector<features::Spectrogram> original_inputs = inputs;
  const std::vector<data::Target> original_targets = targets;
  const auto partner = [&](std::size_t i) {
    const auto j = std::uniform_int_distribution<std::size_t>(0, n - 2)(rng);
    return j >= i ? j + 1 : j;  // any input but i
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (c.mixup_p > 0 && std::bernoulli_distribution(c.mixup_p)(rng)) {
      const std::size_t j = partner(i);
      mixup(inputs[i].values, targets[i], original_inputs[j].values, original_targets[j],
            c.mixup_alpha, c.mixup_labels == MixupLabels::max, rng);
    }
    if (c.horizontal_cutmix_p > 0 && std::bernoulli_distribution(c.horizontal_cutmix_p)(rng)) {
      const std::size_t j = partner(i);
      horizontal_cutmix(inputs[i], targets[i], original_inputs[j], original_targets[j], rng);
    }
  }
}

}  // namespace chorus::augment
