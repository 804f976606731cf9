#pragma once
// Mixing across a batch (the last augmentation step): each input, with probability mixup_p, is
// mixed up with another input of the batch, and with probability horizontal_cutmix_p takes the
// frames after a random cut from another. Partners are drawn uniformly among the *other* inputs
// and are read as they were before any mixing, so the result does not depend on the order inputs
// are visited in. Label rules: mixup by augment.mixup_labels (max or blend), cutmix blended by
// the frames each input contributes; masks are the minimum (a class unknown in either stays out
// of the loss); weights blend like the targets.

#include <vector>

#include "augment/augment_config.hpp"
#include "augment/waveform_augment.hpp"
#include "data/targets.hpp"
#include "features/spectrogram.hpp"

namespace chorus::augment {

// `inputs` and `targets` are one batch (equal sizes, equal spectrogram shapes).
void mix_batch(std::vector<features::Spectrogram>& inputs, std::vector<data::Target>& targets,
               const AugmentConfig& config, Rng& rng);

}  // namespace chorus::augment
