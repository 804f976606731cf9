#pragma once
// Mixing pseudo-labelled windows into training inputs (data.pseudo_use = mix; BirdCLEF 2025 1st
// place): the pseudo-labelled items are taken out of the sampled items and become partners; each
// input, with probability data.pseudo_mix_p, is mixed up with a window built from partners
// (data.halves of them, drawn uniformly or by confidence). The mixup is the batch mixup's rule
// (augment::mixup): λ ~ Beta(augment.mixup_alpha), targets by augment.mixup_labels, masks the
// minimum (a class the pseudo table lacks leaves the loss), weights blended by λ.
//
// Every draw comes from the input's own generator, after the input is built, so an input still
// depends only on its seed.

#include <cstddef>
#include <random>
#include <vector>

#include "augment/augment_config.hpp"
#include "data/data_config.hpp"
#include "data/dataset.hpp"
#include "loader/input_builder.hpp"

namespace chorus::loader {

class PseudoMixer {
 public:
  // `train_items` index dataset.items; with pseudo_use = mix, the pseudo-labelled ones become
  // the partners and sampled_items() holds the rest (all of them otherwise).
  PseudoMixer(const data::Dataset& dataset, const std::vector<std::size_t>& train_items,
              const data::DataConfig& data, const augment::AugmentConfig& augment);

  const std::vector<std::size_t>& sampled_items() const { return sampled_; }
  const std::vector<std::size_t>& partners() const { return partners_; }

  // The partner items (data.halves of them) an input is mixed with, or none (not mixing, no
  // partners, or the draw said no).
  std::vector<std::size_t> draw(std::mt19937_64& rng) const;

  // Mixes `partner` (built from draw()'s items) into `input`; returns λ, the input's share.
  double mix(Input& input, const Input& partner, std::mt19937_64& rng) const;

 private:
  std::vector<std::size_t> sampled_, partners_;
  // Running totals of the partners' confidences (confidence sampling); empty: uniform.
  std::vector<double> cumulative_;
  double p_ = 0;
  int halves_ = 1;
  double alpha_;
  bool max_labels_;
};

// How sure a pseudo-labelled target is: its largest probability among the known classes.
double pseudo_confidence(const data::Target& target);

}  // namespace chorus::loader
