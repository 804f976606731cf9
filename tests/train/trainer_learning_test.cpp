// The training loop learns: 16 epochs on a tiny synthetic set bring the loss down and the
// validation ROC-AUC up (the slowest training test: label `slow`).

#include <gtest/gtest.h>

#include <filesystem>

#include "models/checkpoint.hpp"
#include "support/test_support.hpp"
#include "train/tiny_training.hpp"
#include "train/train_log.hpp"
#include "train/trainer.hpp"

namespace chorus {
namespace {

using testing::TempDir;
using testing::tiny_dataset;
using testing::tiny_setup;

TEST(Trainer, LearnsATinySyntheticSet) {
  TempDir out;
  const train::TrainSetup setup = tiny_setup(tiny_dataset(), out.path(), 16);
  const train::TrainResult r = train::train(setup);
  EXPECT_EQ(r.epochs_done, 16);
  const train::TrainLog log(out / "train_log.jsonl", true, 16);
  ASSERT_EQ(log.records().size(), 16u);
  const double first = log.records().front().train_loss, last = log.records().back().train_loss;
  // BCE starts near ln 2 ≈ 0.69 on 3 balanced classes; these calls are easy to tell apart.
  EXPECT_GT(first, 0.4);
  EXPECT_LT(last, 0.25) << "first epoch " << first;
  ASSERT_TRUE(log.records().back().validation.has_value());
  EXPECT_GE(log.records().back().validation->roc_auc, 0.9);
  EXPECT_TRUE(std::filesystem::exists(out / "best.ckpt"));
  const models::Checkpoint best = models::Checkpoint::read(out / "best.ckpt");
  EXPECT_EQ(best.classes, setup.dataset.classes.names());
  EXPECT_EQ(best.features.n_mels, 32);
}

}  // namespace
}  // namespace chorus
