#include "loader/pseudo_mixer.hpp"

#include <algorithm>

#include "augment/spectrogram_augment.hpp"
#include "core/error.hpp"

namespace chorus::loader {

double pseudo_confidence(const data::Target& target) {
  double best = 0;
  for (std::size_t c = 0; c < target.values.size(); ++c)
    if (target.mask[c] > 0) best = std::max(best, static_cast<double>(target.values[c]));
  return best;
}

PseudoMixer::PseudoMixer(const data::Dataset& dataset, const std::vector<std::size_t>& train_items,
                         const data::DataConfig& data, const augment::AugmentConfig& augment)
    : halves_(data.halves),
      alpha_(augment.mixup_alpha),
      max_labels_(augment.mixup_labels == augment::MixupLabels::max) {
  if (data.pseudo_use != data::PseudoUse::mix) {
    sampled_ = train_items;
    return;
  }
  for (std::size_t i : train_items)
    (dataset.items.at(i).pseudo_labelled ? partners_ : sampled_).push_back(i);
  p_ = partners_.empty() ? 0.0 : data.pseudo_mix_p;
  if (data.pseudo_sampling == data::PseudoSampling::confidence) {
    double total = 0;
    for (std::size_t i : partners_)
      cumulative_.push_back(total += pseudo_confidence(dataset.items[i].target));
    // Nothing confident at all: every window is as good as another.
    if (total <= 0) cumulative_.clear();
  }
}

std::vector<std::size_t> PseudoMixer::draw(std::mt19937_64& rng) const {
  if (p_ <= 0 || !std::bernoulli_distribution(p_)(rng)) return {};
  std::vector<std::size_t> items(static_cast<std::size_t>(halves_));
  for (std::size_t& item : items) {
    std::size_t k = 0;
    if (cumulative_.empty()) {
      k = std::uniform_int_distribution<std::size_t>(0, partners_.size() - 1)(rng);
    } else {
      const double u = std::uniform_real_distribution<double>(0, cumulative_.back())(rng);
      // The first partner whose running total passes u: chance ∝ its own confidence (a partner
      // with confidence 0 adds no width and is never found).
      k = static_cast<std::size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), u) -
                                   cumulative_.begin());
      k = std::min(k, partners_.size() - 1);
    }
    item = partners_[k];
  }
  return items;
}

double PseudoMixer::mix(Input& input, const Input& partner, std::mt19937_64& rng) const {
  return augment::mixup(input.spectrogram.values, input.target, partner.spectrogram.values,
                        partner.target, alpha_, max_labels_, rng);
}

}  // namespace chorus::loader
