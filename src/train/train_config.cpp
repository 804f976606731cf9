#include "train/train_config.hpp"

#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace chorus::train {

void TrainConfig::register_fields(core::ConfigFields& f) {
  f.add("epochs", &epochs, "passes over the training set").at_least(1);
  f.add("batch_size", &batch_size, "clips per optimiser step").within(1, 4096);
  f.add("lr", &lr, "peak learning rate, reached at the end of the warmup").above(0);
  f.add("min_lr", &min_lr, "learning rate the cosine decay reaches at the last step (at most lr)")
      .at_least(0);
  f.add("weight_decay", &weight_decay,
        "AdamW decoupled weight decay of weights with >= 2 dimensions (biases, norms: none)")
      .at_least(0);
  f.add("warmup_epochs", &warmup_epochs,
        "epochs (fractions allowed) of linear warmup from ~0 to lr (at most epochs)")
      .at_least(0);
  f.add("grad_clip", &grad_clip, "max global L2 norm of the gradients (0 = off)").at_least(0);
  f.add("ema_decay", &ema_decay, "per-step decay of an EMA of the weights, e.g. 0.999 (0 = off)")
      .at_least(0)
      .below(1);
  f.add("loss", &loss,
        "ce: softmax cross-entropy; bce; focal: focal BCE; masked_bce: BCE over mask-1 cells; "
        "lsoft: BCE with self-softened unlabelled cells; lsep: pairwise ranking; sed: clip + "
        "frame-max BCE");
  f.add("focal_gamma", &focal_gamma, "focal loss focusing exponent").at_least(0);
  f.add("focal_alpha", &focal_alpha, "focal loss weight of positives (-1 = none)")
      .within(0, 1)
      .or_special(-1, "for none");
  f.add("lsoft_beta", &lsoft_beta, "lsoft: weight of the label in the target of unlabelled cells")
      .within(0, 1);
  f.add("sed_frame_weight", &sed_frame_weight,
        "sed: weight of the frame-max BCE added to the clip BCE")
      .at_least(0);
  f.add("class_weights", &class_weights,
        "CSV of class,weight multiplying each class's loss (missing classes 1; empty = off)");
  f.add("seed", &seed, "seed of initialisation, sampling and augmentation");
  f.add("workers", &workers, "loader threads").within(1, 256);
  f.add("channels_last", &channels_last,
        "convolution weights and inputs in NHWC layout: oneDNN convolves them without converting "
        "every layer's tensors and gradients (EfficientNet-B0 steps 1.5× faster; float rounding "
        "differs)");
  f.add("precision", &precision,
        "number format of the forward passes: fp32; bf16 (LibTorch's CPU autocast: convolutions "
        "and matrix products in bf16 but depthwise ones in float32, float32 weights, gradients' "
        "accumulation and loss; "
        "BENCHMARKS.md, \"Precision\"); auto (bf16 where the CPU has it natively, else fp32); "
        "int8 is refused (a prediction format)");
  f.add("best_metric", &best_metric,
        "validation metric that picks the best checkpoint (loss: lowest)");
  f.add("validate_every", &validate_every, "epochs between validations").at_least(1);
  f.add("pretrained", &pretrained,
        "torchvision safetensors weights to start from (empty = random)");
  f.add("init_from", &init_from,
        "chorus model to start from (fine-tuning): a checkpoint, or a chorus train folder (its "
        "best.ckpt, or fold<k>/best.ckpt for the fold held out); same classes and input settings "
        "(empty = off)");
}

void TrainConfig::validate() const {
  CHORUS_CHECK_AS(ConfigError, precision != graph::Precision::int8,
                  "train.precision = int8: training computes in fp32 or bf16; int8 is for "
                  "prediction (infer.precision, after chorus calibrate)");
  core::check_declared(*this);
  CHORUS_CHECK_AS(ConfigError, min_lr <= lr, "train.min_lr = {}: expected 0 ≤ min_lr ≤ lr ({})",
                  min_lr, lr);
  CHORUS_CHECK_AS(ConfigError, warmup_epochs <= epochs,
                  "train.warmup_epochs = {}: expected 0 ≤ warmup_epochs ≤ epochs ({})",
                  warmup_epochs, epochs);
  CHORUS_CHECK_AS(ConfigError, pretrained.empty() || init_from.empty(),
                  "train.pretrained and train.init_from both name weights to start from: keep one");
}

bool is_better(double score, double best, BestMetric metric) {
  if (std::isnan(score)) return false;
  if (std::isnan(best)) return true;
  return metric == BestMetric::loss ? score < best : score > best;
}

}  // namespace chorus::train
