#include "train/train_config.hpp"

#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace chorus::train {

void TrainConfig::register_fields(core::ConfigFields& f) {
  f.add("epochs", &epochs, "passes over the training set");
  f.add("batch_size", &batch_size, "clips per optimiser step");
  f.add("lr", &lr, "peak learning rate, reached at the end of the warmup");
  f.add("min_lr", &min_lr, "learning rate the cosine decay reaches at the last step");
  f.add("weight_decay", &weight_decay,
        "AdamW decoupled weight decay of weights with >= 2 dimensions (biases, norms: none)");
  f.add("warmup_epochs", &warmup_epochs,
        "epochs (fractions allowed) of linear warmup from ~0 to lr");
  f.add("grad_clip", &grad_clip, "max global L2 norm of the gradients (0 = off)");
  f.add("ema_decay", &ema_decay, "per-step decay of an EMA of the weights, e.g. 0.999 (0 = off)");
  f.add("loss", &loss,
        "ce: softmax cross-entropy; bce; focal: focal BCE; masked_bce: BCE over mask-1 cells; "
        "lsoft: BCE with self-softened unlabelled cells; lsep: pairwise ranking; sed: clip + "
        "frame-max BCE");
  f.add("focal_gamma", &focal_gamma, "focal loss focusing exponent");
  f.add("focal_alpha", &focal_alpha, "focal loss weight of positives, in [0, 1] (-1 = none)");
  f.add("lsoft_beta", &lsoft_beta, "lsoft: weight of the label in the target of unlabelled cells");
  f.add("sed_frame_weight", &sed_frame_weight,
        "sed: weight of the frame-max BCE added to the clip BCE");
  f.add("class_weights", &class_weights,
        "CSV of class,weight multiplying each class's loss (missing classes 1; empty = off)");
  f.add("seed", &seed, "seed of initialisation, sampling and augmentation");
  f.add("workers", &workers, "loader threads");
  f.add("channels_last", &channels_last,
        "convolution weights and inputs in NHWC layout: oneDNN convolves them without converting "
        "every layer's tensors and gradients (EfficientNet-B0 steps 1.5× faster; float rounding "
        "differs)");
  f.add("best_metric", &best_metric,
        "validation metric that picks the best checkpoint (loss: lowest)");
  f.add("validate_every", &validate_every, "epochs between validations");
  f.add("pretrained", &pretrained,
        "torchvision safetensors weights to start from (empty = random)");
}

void TrainConfig::validate() const {
  CHORUS_CHECK_AS(ConfigError, epochs >= 1, "train.epochs = {}: expected ≥ 1", epochs);
  CHORUS_CHECK_AS(ConfigError, batch_size >= 1, "train.batch_size = {}: expected ≥ 1", batch_size);
  CHORUS_CHECK_AS(ConfigError, std::isfinite(lr) && lr > 0, "train.lr = {}: expected > 0", lr);
  CHORUS_CHECK_AS(ConfigError, min_lr >= 0 && min_lr <= lr,
                  "train.min_lr = {}: expected 0 ≤ min_lr ≤ lr ({})", min_lr, lr);
  CHORUS_CHECK_AS(ConfigError, std::isfinite(weight_decay) && weight_decay >= 0,
                  "train.weight_decay = {}: expected ≥ 0", weight_decay);
  CHORUS_CHECK_AS(ConfigError, warmup_epochs >= 0 && warmup_epochs <= epochs,
                  "train.warmup_epochs = {}: expected 0 ≤ warmup_epochs ≤ epochs ({})",
                  warmup_epochs, epochs);
  CHORUS_CHECK_AS(ConfigError, std::isfinite(grad_clip) && grad_clip >= 0,
                  "train.grad_clip = {}: expected ≥ 0 (0 = off)", grad_clip);
  CHORUS_CHECK_AS(ConfigError, ema_decay >= 0 && ema_decay < 1,
                  "train.ema_decay = {}: expected 0 ≤ ema_decay < 1 (0 = off)", ema_decay);
  CHORUS_CHECK_AS(ConfigError, std::isfinite(focal_gamma) && focal_gamma >= 0,
                  "train.focal_gamma = {}: expected ≥ 0", focal_gamma);
  CHORUS_CHECK_AS(ConfigError, focal_alpha == -1.0 || (focal_alpha >= 0 && focal_alpha <= 1),
                  "train.focal_alpha = {}: expected 0 ≤ focal_alpha ≤ 1, or -1 for none",
                  focal_alpha);
  CHORUS_CHECK_AS(ConfigError, lsoft_beta >= 0 && lsoft_beta <= 1,
                  "train.lsoft_beta = {}: expected 0 ≤ lsoft_beta ≤ 1", lsoft_beta);
  CHORUS_CHECK_AS(ConfigError, std::isfinite(sed_frame_weight) && sed_frame_weight >= 0,
                  "train.sed_frame_weight = {}: expected ≥ 0", sed_frame_weight);
  CHORUS_CHECK_AS(ConfigError, workers >= 1, "train.workers = {}: expected ≥ 1", workers);
  CHORUS_CHECK_AS(ConfigError, validate_every >= 1, "train.validate_every = {}: expected ≥ 1",
                  validate_every);
}

}  // namespace chorus::train
