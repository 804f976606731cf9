#pragma once
// Training losses, one per `train.loss`, behind one interface so the Trainer does not know which.
//
// Every loss is a differentiable scalar. Shared conventions:
//   - class weights w[c] multiply the terms of class c, sample weights s[n] the terms of row n;
//   - the mask (1 = the cell counts, 0 = left out; undefined = all count) zeroes cells' terms;
//   - means divide by a count of cells or rows, never by a sum of weights, so weights scale the
//     loss as `(loss * weight).mean()` does in the Kaggle pipelines.
// Per loss (N rows, C classes, ℓ = the loss of one cell or row):
//   ce          softmax cross-entropy against the targets normalised per row to sum 1 (a soft
//               target is a distribution over classes; rows with no target contribute 0);
//               mask-0 classes are left out of the softmax. Σ_n s_n ℓ_n / N. Reference:
//               torch.nn.CrossEntropyLoss(weight=w) with probability targets.
//   bce         BCE with logits. Σ w·s·m·ℓ / (N·C). Reference: BCEWithLogitsLoss(weight=…).
//   focal       focal BCE (Lin et al. 2017): ℓ = α_t (1 − p_t)^γ BCE, α_t = α t + (1 − α)(1 − t)
//               (no α_t when focal_alpha = −1). Σ w·s·m·ℓ / (N·C). Reference:
//               torchvision.ops.sigmoid_focal_loss.
//   masked_bce  BCE over the mask-1 cells only (RFCX 2021 1st/2nd): Σ w·s·m·ℓ / Σ m.
//   lsoft       BCE whose target in the mask-0 (unlabelled) cells is β t + (1 − β) σ(x), σ(x)
//               detached (Lopes et al. 2019 "L_soft"; RFCX 2021 2nd); mask-1 cells keep t. Every
//               cell counts: Σ w·s·ℓ / (N·C).
//   lsep        log-sum-exp pairwise ranking (Li et al. 2017): ℓ_n = log(1 + Σ_{u pos, v neg}
//               w_u w_v exp(x_v − x_u)), positives t ≥ 0.5, negatives t < 0.5, mask-0 classes in
//               no pair. Σ_n s_n ℓ_n / N.
//   sed         the BirdCLEF 2021–2023 "two-way" SED loss on probabilities: BCE(clip_probabilities,
//               t) + sed_frame_weight · BCE(max over time of frame_probabilities, t), each term
//               Σ w·s·m·ℓ / (N·C), log clamped at −100 as torch.nn.BCELoss does. `logits` is
//               not used.

#include <torch/types.h>

#include <memory>
#include <string>

#include "train/train_config.hpp"

namespace chorus::train {

struct LossInputs {
  torch::Tensor logits;               // [N, C] (SED: the clip logits)
  torch::Tensor targets;              // [N, C] in [0, 1] (soft labels allowed)
  torch::Tensor mask;                 // [N, C] 1 = counts, 0 = left out; undefined = all count
  torch::Tensor sample_weights;       // [N]; undefined = 1
  torch::Tensor clip_probabilities;   // [N, C]  SED only
  torch::Tensor frame_probabilities;  // [N, T', C] SED only
};

class Loss {
 public:
  virtual ~Loss() = default;
  // A scalar, differentiable with respect to the logits (sed: the probabilities). Mis-shaped
  // inputs are a chorus::Error naming the input and both shapes.
  virtual torch::Tensor operator()(const LossInputs& in) const = 0;
  virtual std::string name() const = 0;
};

// The loss `config.loss` with its parameters; `class_weights` is [C] (finite, ≥ 0) or undefined.
std::unique_ptr<Loss> make_loss(const TrainConfig& config, torch::Tensor class_weights);

}  // namespace chorus::train
