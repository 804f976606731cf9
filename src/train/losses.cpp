#include "train/losses.hpp"

#include <ATen/core/Reduction.h>
#include <fmt/ranges.h>

#include <limits>

#include "core/error.hpp"

namespace chorus::train {
namespace {

std::string shape_text(const torch::Tensor& t) { return fmt::format("{}", t.sizes().vec()); }

// What every loss shares: the class weights, the input checks and the per-cell and per-row
// weights of the conventions in losses.hpp.
class WeightedLoss : public Loss {
 public:
  WeightedLoss(std::string name, torch::Tensor class_weights)
      : name_(std::move(name)), class_weights_(std::move(class_weights)) {}
  std::string name() const override { return name_; }

 protected:
  // Checks `scores` ([N, C]: logits, or SED clip probabilities, named `what`) against the
  // targets, mask and weights.
  void check_inputs(const LossInputs& in, const torch::Tensor& scores, const char* what) const {
    // An empty batch has no mean; refusing it beats a NaN loss in the middle of an epoch.
    CHORUS_CHECK(scores.defined() && scores.dim() == 2 && scores.numel() > 0,
                 "{} loss: {} must be [N, C] with N, C ≥ 1 (got {})", name_, what,
                 scores.defined() ? shape_text(scores) : "none");
    CHORUS_CHECK(in.targets.defined() && in.targets.sizes() == scores.sizes(),
                 "{} loss: targets {} do not match {} {}", name_,
                 in.targets.defined() ? shape_text(in.targets) : "none", what, shape_text(scores));
    const double low = in.targets.min().item<double>(), high = in.targets.max().item<double>();
    CHORUS_CHECK(low >= 0 && high <= 1, "{} loss: targets must lie in [0, 1] (found {} to {})",
                 name_, low, high);
    CHORUS_CHECK(!in.mask.defined() || in.mask.sizes() == scores.sizes(),
                 "{} loss: mask {} does not match {} {}", name_, shape_text(in.mask), what,
                 shape_text(scores));
    CHORUS_CHECK(!in.sample_weights.defined() ||
                     (in.sample_weights.dim() == 1 && in.sample_weights.size(0) == scores.size(0)),
                 "{} loss: sample_weights {} must be [N] with N = {}", name_,
                 shape_text(in.sample_weights), scores.size(0));
    CHORUS_CHECK(!class_weights_.defined() || class_weights_.size(0) == scores.size(1),
                 "{} loss: {} class weights for {} classes", name_, class_weights_.size(0),
                 scores.size(1));
  }

  // w_c · s_n · m_nc as [N, C] (or a broadcastable [1, 1] one when nothing weighs); without
  // the mask for losses where it means something else.
  torch::Tensor cell_weights(const LossInputs& in, const torch::Tensor& like,
                             bool masked = true) const {
    torch::Tensor weight = torch::ones({1, 1}, like.options());
    if (class_weights_.defined()) weight = weight * class_weights_.to(like.options()).unsqueeze(0);
    if (in.sample_weights.defined())
      weight = weight * in.sample_weights.to(like.options()).unsqueeze(1);
    if (masked && in.mask.defined()) weight = weight * in.mask.to(like.options());
    return weight;
  }

  // Σ_n s_n ℓ_n / N for per-row losses ℓ [N].
  static torch::Tensor mean_over_rows(const LossInputs& in, torch::Tensor per_row) {
    if (in.sample_weights.defined()) per_row = per_row * in.sample_weights.to(per_row.options());
    return per_row.mean();
  }

  // Σ weight·ℓ / (N·C) for per-cell losses ℓ [N, C].
  torch::Tensor mean_over_cells(const LossInputs& in, const torch::Tensor& per_cell,
                                bool masked = true) const {
    return (per_cell * cell_weights(in, per_cell, masked)).sum() /
           static_cast<double>(per_cell.numel());
  }

  const torch::Tensor& class_weights() const { return class_weights_; }

 private:
  std::string name_;
  torch::Tensor class_weights_;  // [C] or undefined
};

torch::Tensor bce_with_logits(const torch::Tensor& logits, const torch::Tensor& targets) {
  return torch::binary_cross_entropy_with_logits(logits, targets, {}, {}, at::Reduction::None);
}

class CrossEntropy final : public WeightedLoss {
 public:
  explicit CrossEntropy(torch::Tensor class_weights)
      : WeightedLoss("ce", std::move(class_weights)) {}

  torch::Tensor operator()(const LossInputs& in) const override {
    check_inputs(in, in.logits, "logits");
    torch::Tensor logits = in.logits;
    torch::Tensor targets = in.targets.to(logits.options());
    if (in.mask.defined()) {
      // A left-out class leaves the softmax: the lowest finite float (not −inf, which would
      // make 0·log 0 a NaN) gives it probability 0 and its logit no gradient.
      const torch::Tensor out = in.mask.to(logits.options()) == 0;
      logits = logits.masked_fill(out, std::numeric_limits<float>::lowest());
      targets = targets.masked_fill(out, 0.0);
    }
    const torch::Tensor row_sum = targets.sum(1, true);
    targets =
        torch::where(row_sum > 0, targets / row_sum.clamp_min(1e-30), torch::zeros_like(targets));
    torch::Tensor per_cell = -targets * torch::log_softmax(logits, 1);
    if (class_weights().defined())
      per_cell = per_cell * class_weights().to(logits.options()).unsqueeze(0);
    return mean_over_rows(in, per_cell.sum(1));
  }
};

// bce and masked_bce: the same terms, divided by all cells or by the cells the mask keeps.
class BinaryCrossEntropy final : public WeightedLoss {
 public:
  BinaryCrossEntropy(std::string name, torch::Tensor class_weights, bool mean_over_mask)
      : WeightedLoss(std::move(name), std::move(class_weights)), mean_over_mask_(mean_over_mask) {}

  torch::Tensor operator()(const LossInputs& in) const override {
    check_inputs(in, in.logits, "logits");
    const torch::Tensor per_cell = bce_with_logits(in.logits, in.targets.to(in.logits.options()));
    if (!mean_over_mask_ || !in.mask.defined()) return mean_over_cells(in, per_cell);
    // An all-zero mask leaves nothing to learn from: loss 0 (and zero gradients), not 0/0.
    const torch::Tensor counted = in.mask.to(per_cell.options()).sum().clamp_min(1.0);
    return (per_cell * cell_weights(in, per_cell)).sum() / counted;
  }

 private:
  bool mean_over_mask_;
};

class Focal final : public WeightedLoss {
 public:
  Focal(torch::Tensor class_weights, double gamma, double alpha)
      : WeightedLoss("focal", std::move(class_weights)), gamma_(gamma), alpha_(alpha) {}

  torch::Tensor operator()(const LossInputs& in) const override {
    check_inputs(in, in.logits, "logits");
    const torch::Tensor targets = in.targets.to(in.logits.options());
    const torch::Tensor p = torch::sigmoid(in.logits);
    torch::Tensor per_cell = bce_with_logits(in.logits, targets);
    // γ = 0 is plain BCE; skipping the factor also avoids pow's 0·∞ gradient at p_t = 1.
    if (gamma_ != 0) {
      const torch::Tensor p_t = p * targets + (1 - p) * (1 - targets);
      per_cell = per_cell * (1 - p_t).pow(gamma_);
    }
    if (alpha_ >= 0) per_cell = per_cell * (alpha_ * targets + (1 - alpha_) * (1 - targets));
    return mean_over_cells(in, per_cell);
  }

 private:
  double gamma_, alpha_;
};

class Lsoft final : public WeightedLoss {
 public:
  Lsoft(torch::Tensor class_weights, double beta)
      : WeightedLoss("lsoft", std::move(class_weights)), beta_(beta) {}

  torch::Tensor operator()(const LossInputs& in) const override {
    check_inputs(in, in.logits, "logits");
    torch::Tensor targets = in.targets.to(in.logits.options());
    if (in.mask.defined()) {
      const torch::Tensor soft = beta_ * targets + (1 - beta_) * torch::sigmoid(in.logits).detach();
      targets = torch::where(in.mask.to(in.logits.options()) > 0, targets, soft);
    }
    // The mask chose the targets; every cell counts, so it is not a weight here.
    return mean_over_cells(in, bce_with_logits(in.logits, targets), /*masked=*/false);
  }

 private:
  double beta_;
};

class Lsep final : public WeightedLoss {
 public:
  explicit Lsep(torch::Tensor class_weights) : WeightedLoss("lsep", std::move(class_weights)) {}

  torch::Tensor operator()(const LossInputs& in) const override {
    check_inputs(in, in.logits, "logits");
    const torch::Tensor& x = in.logits;
    torch::Tensor kept = torch::ones_like(x, torch::kBool);
    if (in.mask.defined()) kept = in.mask.to(x.options()) > 0;
    const torch::Tensor targets = in.targets.to(x.options());
    const torch::Tensor positive = (targets >= 0.5).logical_and(kept);
    const torch::Tensor negative = (targets < 0.5).logical_and(kept);
    // pair[n, u, v] = x_v − x_u + log(w_u w_v) for positive u and negative v.
    torch::Tensor pair = x.unsqueeze(1) - x.unsqueeze(2);
    if (class_weights().defined()) {
      const torch::Tensor log_w = class_weights().to(x.options()).log();
      pair = pair + log_w.view({1, -1, 1}) + log_w.view({1, 1, -1});
    }
    const torch::Tensor in_pair = positive.unsqueeze(2).logical_and(negative.unsqueeze(1));
    pair = torch::where(in_pair, pair,
                        torch::full_like(pair, -std::numeric_limits<float>::infinity()));
    // log(1 + Σ exp) as a logsumexp with a 0 term: stable, and a row without pairs is 0 with
    // a zero gradient rather than the NaN of logsumexp over −inf alone.
    const torch::Tensor terms =
        torch::cat({torch::zeros({x.size(0), 1}, x.options()), pair.flatten(1)}, 1);
    return mean_over_rows(in, torch::logsumexp(terms, 1));
  }
};

class SedTwoWay final : public WeightedLoss {
 public:
  SedTwoWay(torch::Tensor class_weights, double frame_weight)
      : WeightedLoss("sed", std::move(class_weights)), frame_weight_(frame_weight) {}

  torch::Tensor operator()(const LossInputs& in) const override {
    const torch::Tensor& clip = in.clip_probabilities;
    check_inputs(in, clip, "clip_probabilities");
    const torch::Tensor& frames = in.frame_probabilities;
    CHORUS_CHECK(frames.defined() && frames.dim() == 3 && frames.size(0) == clip.size(0) &&
                     frames.size(1) >= 1 && frames.size(2) == clip.size(1),
                 "sed loss: frame_probabilities must be [N, T, C] = [{}, T ≥ 1, {}] (got {})",
                 clip.size(0), clip.size(1), frames.defined() ? shape_text(frames) : "none");
    const torch::Tensor targets = in.targets.to(clip.options());
    const torch::Tensor frame_max = std::get<0>(frames.max(1));
    return mean_over_cells(in, bce(clip, targets)) +
           frame_weight_ * mean_over_cells(in, bce(frame_max, targets));
  }

 private:
  static torch::Tensor bce(const torch::Tensor& probabilities, const torch::Tensor& targets) {
    return torch::binary_cross_entropy(probabilities, targets, {}, at::Reduction::None);
  }
  double frame_weight_;
};

}  // namespace

std::unique_ptr<Loss> make_loss(const TrainConfig& config, torch::Tensor class_weights) {
  if (class_weights.defined()) {
    CHORUS_CHECK(class_weights.dim() == 1, "class weights must be [C] (got {})",
                 shape_text(class_weights));
    CHORUS_CHECK(
        class_weights.isfinite().all().item<bool>() && (class_weights >= 0).all().item<bool>(),
        "class weights must be finite and ≥ 0");
    class_weights = class_weights.detach().to(torch::kFloat32);
  }
  switch (config.loss) {
    case LossKind::ce:
      return std::make_unique<CrossEntropy>(class_weights);
    case LossKind::bce:
      return std::make_unique<BinaryCrossEntropy>("bce", class_weights, false);
    case LossKind::masked_bce:
      return std::make_unique<BinaryCrossEntropy>("masked_bce", class_weights, true);
    case LossKind::focal:
      return std::make_unique<Focal>(class_weights, config.focal_gamma, config.focal_alpha);
    case LossKind::lsoft:
      return std::make_unique<Lsoft>(class_weights, config.lsoft_beta);
    case LossKind::lsep:
      return std::make_unique<Lsep>(class_weights);
    case LossKind::sed:
      return std::make_unique<SedTwoWay>(class_weights, config.sed_frame_weight);
  }
  CHORUS_UNREACHABLE("a loss outside LossKind");
}

}  // namespace chorus::train
