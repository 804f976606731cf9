#pragma once
// [train]: how a model is trained — epochs, loss, optimiser, schedule, EMA, model selection.

#include <array>
#include <string>
#include <string_view>

#include "core/config_fields.hpp"
#include "core/enum_names.hpp"
#include "graph/precision.hpp"

namespace chorus::train {

// The training losses (losses.hpp), in documentation order.
enum class LossKind { ce, bce, focal, masked_bce, lsoft, lsep, sed };
// What picks the best checkpoint: a validation metric (highest), or the training loss (lowest).
enum class BestMetric { roc_auc, cmap, lwlrap, accuracy, loss };

struct TrainConfig {
  static constexpr std::string_view kSection = "train";
  int epochs = 10;             // passes over the training set
  int batch_size = 32;         // clips per optimiser step
  double lr = 1e-3;            // peak learning rate, reached at the end of the warmup
  double min_lr = 1e-6;        // learning rate the cosine decay ends at (last step)
  double weight_decay = 1e-2;  // AdamW decoupled decay of weights with ≥ 2 dimensions
  double warmup_epochs = 1.0;  // epochs (fractions allowed) of linear warmup from ~0 to lr
  double grad_clip = 0.0;      // max global L2 norm of the gradients (0 = off)
  double ema_decay = 0.0;      // weight EMA decay per step, e.g. 0.999 (0 = off)
  LossKind loss = LossKind::bce;
  double focal_gamma = 2.0;       // focal loss focusing exponent
  double focal_alpha = 0.25;      // focal loss positive-class weight (−1 = no alpha)
  double lsoft_beta = 0.7;        // lsoft: weight of the label in the unlabelled cells' target
  double sed_frame_weight = 0.5;  // sed: weight of the frame-max BCE next to the clip BCE
  std::string class_weights;      // CSV of class,weight (missing classes 1; "" = all 1)
  int seed = 42;                  // weight initialisation, sampling and augmentation
  int workers = 2;                // loader threads
  bool channels_last = true;      // convolution weights and inputs in NHWC (runtime/channels_last)
  // The forward passes of training: fp32, or bf16 under LibTorch's CPU autocast (train/autocast),
  // or auto (bf16 where the CPU has it natively); resolved when the run starts.
  graph::Precision precision = graph::Precision::fp32;
  BestMetric best_metric = BestMetric::roc_auc;
  int validate_every = 1;  // epochs between validations
  std::string pretrained;  // torchvision safetensors to start from ("" = random init)
  std::string init_from;   // chorus checkpoint or train folder to fine-tune (train/initial_weights)

  void register_fields(core::ConfigFields& fields);
  void validate() const;
};

// Is `score` better than `best` for the metric? Loss falls, the others rise; NaN is never better,
// and anything is better than a NaN best (none yet).
bool is_better(double score, double best, BestMetric metric);

}  // namespace chorus::train

template <>
struct chorus::core::EnumNames<chorus::train::LossKind> {
  static constexpr std::array<std::string_view, 7> names{"ce",    "bce",  "focal", "masked_bce",
                                                         "lsoft", "lsep", "sed"};
};
template <>
struct chorus::core::EnumNames<chorus::train::BestMetric> {
  static constexpr std::array<std::string_view, 5> names{"roc_auc", "cmap", "lwlrap", "accuracy",
                                                         "loss"};
};
