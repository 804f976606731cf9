// [train]: defaults, every key reachable through the config registry, impossible values named.

#include "train/train_config.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "core/config_fields.hpp"
#include "core/error.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

std::string invalid(const std::function<void(train::TrainConfig&)>& change) {
  train::TrainConfig c;
  change(c);
  try {
    c.validate();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(TrainConfig, DefaultsAreValid) {
  train::TrainConfig c;
  EXPECT_NO_THROW(c.validate());
  EXPECT_EQ(c.loss, train::LossKind::bce);
  EXPECT_EQ(c.best_metric, train::BestMetric::roc_auc);
}

TEST(TrainConfig, EveryKeyIsRegisteredAndSettable) {
  train::TrainConfig c;
  core::ConfigFields fields("train");
  c.register_fields(fields);
  for (const char* key : {"epochs",           "batch_size",    "lr",
                          "min_lr",           "weight_decay",  "warmup_epochs",
                          "grad_clip",        "ema_decay",     "loss",
                          "focal_gamma",      "focal_alpha",   "lsoft_beta",
                          "sed_frame_weight", "class_weights", "seed",
                          "workers",          "channels_last", "best_metric",
                          "validate_every",   "pretrained",    "init_from",
                          "precision"})
    EXPECT_NE(fields.find(key), nullptr) << key;
  EXPECT_EQ(fields.fields().size(), 22u);
  fields.set("loss", "\"lsep\"", "--set");
  fields.set("warmup_epochs", "0.5", "--set");
  EXPECT_EQ(c.loss, train::LossKind::lsep);
  EXPECT_EQ(c.warmup_epochs, 0.5);
  EXPECT_THROW(fields.set("loss", "\"hinge\"", "--set"), ConfigError);
}

TEST(TrainConfig, ImpossibleValuesNameTheKeyValueAndExpectation) {
  EXPECT_EQ(invalid([](auto& c) { c.epochs = 0; }), "train.epochs = 0: expected ≥ 1");
  EXPECT_EQ(invalid([](auto& c) { c.min_lr = 0.1; }),
            "train.min_lr = 0.1: expected 0 ≤ min_lr ≤ lr (0.001)");
  EXPECT_EQ(invalid([](auto& c) { c.warmup_epochs = 11; }),
            "train.warmup_epochs = 11: expected 0 ≤ warmup_epochs ≤ epochs (10)");
  EXPECT_EQ(invalid([](auto& c) { c.ema_decay = 1.0; }),
            "train.ema_decay = 1: expected 0 ≤ ema_decay < 1");
  EXPECT_EQ(invalid([](auto& c) { c.focal_alpha = 2; }),
            "train.focal_alpha = 2: expected 0..1, or -1 for none");
  EXPECT_EQ(invalid([](auto& c) { c.lr = -1; }), "train.lr = -1: expected > 0");
  EXPECT_EQ(invalid([](auto& c) { c.grad_clip = -1; }), "train.grad_clip = -1: expected ≥ 0");
  EXPECT_EQ(invalid([](auto& c) { c.validate_every = 0; }),
            "train.validate_every = 0: expected ≥ 1");
  EXPECT_EQ(invalid([](auto& c) { c.focal_alpha = -1; }), "no error");
  // Choices are checked when they are read: a name that is not one of them never gets in.
  train::TrainConfig c;
  core::ConfigFields fields("train");
  c.register_fields(fields);
  EXPECT_EQ(testing::error_message([&] { fields.set("loss", "hinge", "--set"); }),
            "--set: train.loss = 'hinge' is not one of: ce, bce, focal, masked_bce, lsoft, lsep, "
            "sed");
  EXPECT_EQ(testing::error_message([&] { fields.set("best_metric", "f1", "--set"); }),
            "--set: train.best_metric = 'f1' is not one of: roc_auc, cmap, lwlrap, accuracy, loss");
}

}  // namespace
}  // namespace chorus
