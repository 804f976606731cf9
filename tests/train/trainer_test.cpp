// The training loop end to end on a tiny synthetic set: a resumed run equals an uninterrupted
// one, a corrupt recording is skipped, and its records round-trip.

#include "train/trainer.hpp"

#include <gtest/gtest.h>
#include <torch/types.h>

#include <cmath>
#include <fstream>

#include "models/checkpoint.hpp"
#include "support/test_support.hpp"
#include "train/tiny_training.hpp"
#include "train/train_log.hpp"
#include "train/training_state.hpp"
#include "train/validation_set.hpp"

namespace chorus {
namespace {

using testing::TempDir;

using testing::tiny_dataset;
using testing::tiny_setup;

TEST(Trainer, ResumedRunEqualsUninterruptedRun) {
  TempDir straight, resumed;
  train::train(tiny_setup(tiny_dataset(), straight.path(), 3));
  train::TrainSetup first = tiny_setup(tiny_dataset(), resumed.path(), 3);
  first.stop_after_epochs = 1;  // as if killed after epoch 1
  EXPECT_EQ(train::train(first).epochs_done, 1);
  train::TrainSetup rest = tiny_setup(tiny_dataset(), resumed.path(), 3);
  rest.resume = true;
  EXPECT_EQ(train::train(rest).epochs_done, 3);

  const models::Checkpoint a = models::Checkpoint::read(straight / "last.ckpt");
  const models::Checkpoint b = models::Checkpoint::read(resumed / "last.ckpt");
  ASSERT_EQ(a.weights.size(), b.weights.size());
  for (const auto& [name, tensor] : a.weights)
    EXPECT_TRUE(torch::equal(tensor, b.weights.at(name))) << name;
  EXPECT_EQ(train::TrainLog(resumed / "train_log.jsonl", true, 3).records().size(), 3u);
}

// A run saved by an earlier chorus, whose configuration lacks a key added since (here
// train.precision, at its default), resumes as the same run.
TEST(Trainer, ResumesARunSavedBeforeKeysWereAdded) {
  TempDir out;
  train::TrainSetup first = tiny_setup(tiny_dataset(), out.path(), 2);
  first.stop_after_epochs = 1;
  train::train(first);
  const std::filesystem::path state_path = out / "train_state.safetensors";
  train::TrainingState state = train::TrainingState::read(state_path);
  const std::string key = "precision = \"fp32\"\n";
  const std::size_t at = state.config.find(key, state.config.find("[train]"));
  ASSERT_NE(at, std::string::npos) << state.config;
  state.config.erase(at, key.size());
  state.write(state_path);
  train::TrainSetup rest = tiny_setup(tiny_dataset(), out.path(), 2);
  rest.resume = true;
  EXPECT_EQ(train::train(rest).epochs_done, 2);
  // Text that is no configuration is still refused, naming the state file.
  state.config += "[train]\nno_such_key = 1\n";
  state.write(state_path);
  EXPECT_NE(testing::error_message([&] { train::train(rest); }).find("train_state.safetensors"),
            std::string::npos);
}

TEST(Trainer, RefusesToOverwriteARunOrResumeWithAnotherConfiguration) {
  TempDir out;
  train::TrainSetup s = tiny_setup(tiny_dataset(), out.path(), 2);
  s.stop_after_epochs = 1;
  train::train(s);
  EXPECT_NE(testing::error_message([&] { train::train(s); }).find("already holds a training run"),
            std::string::npos);
  train::TrainSetup other = tiny_setup(tiny_dataset(), out.path(), 2);
  other.resume = true;
  other.config.train.lr = 1e-3;
  EXPECT_NE(testing::error_message([&] { train::train(other); }).find("another configuration"),
            std::string::npos);
}

TEST(Trainer, CorruptRecordingIsSkippedNotFatal) {
  TempDir copy;
  std::filesystem::copy(tiny_dataset(), copy / "set", std::filesystem::copy_options::recursive);
  const data::DatasetDir dir = data::DatasetDir::open(copy / "set");
  // Cut one training clip (item 0 trains) to its first 200 bytes.
  const auto victim = dir.audio_files.front();
  std::string bytes = testing::read_text(victim);
  testing::write_text(victim, bytes.substr(0, 200));
  TempDir out;
  const train::TrainResult r = train::train(tiny_setup(copy / "set", out.path(), 1));
  EXPECT_EQ(r.epochs_done, 1);
  ASSERT_FALSE(r.load_failures.empty());
  EXPECT_NE(r.load_failures.front().find(victim.filename().string()), std::string::npos)
      << r.load_failures.front();
}

TEST(ExampleConfigs, EveryRecipeLoadsAndValidates) {
  int loaded = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(CHORUS_SOURCE_DIR) / "examples")) {
    if (entry.path().extension() != ".toml") continue;
    train::ExperimentConfig config;
    EXPECT_NO_THROW(config.load({entry.path().string(), {}})) << entry.path();
    ++loaded;
  }
  EXPECT_GE(loaded, 4);  // birdclef2024, esc50, rfcx, sed
}

TEST(ValidationSet, OneRowPerRecordingWithHardTruthAndMask) {
  data::Dataset d;
  d.classes = formats::ClassList({"a", "b", "c"}, "test");
  d.files = {"x.ogg", "y.ogg"};
  const auto item = [](std::size_t file, std::vector<float> values, std::vector<float> mask) {
    data::Item i;
    i.file = file;
    i.target.values = std::move(values);
    i.target.mask = std::move(mask);
    return i;
  };
  d.items = {item(0, {0.5f, 0.25f, 0.25f}, {1, 1, 1}),  // `shared`: primary 0.5 is positive
             item(1, {0.0f, 1.0f, 0.0f}, {0, 1, 1}),    // RFCX: class a unknown
             item(1, {0.0f, 0.0f, 1.0f}, {0, 0, 1})};
  const std::vector<std::size_t> items{0, 1, 2};
  const train::ValidationSet v = train::ValidationSet::from_items(d, items);
  ASSERT_EQ(v.files.size(), 2u);
  EXPECT_EQ(v.truth, (std::vector<double>{1, 0, 0, 0, 1, 1}));
  EXPECT_EQ(v.mask, (std::vector<double>{1, 1, 1, 0, 1, 1}));
  EXPECT_TRUE(v.partial());
}

TEST(TrainingState, RoundTripsAndRejectsOtherFiles) {
  TempDir dir;
  train::TrainingState s;
  s.epochs_done = 4;
  s.step = 40;
  s.best_score = std::nan("");
  s.best_epoch = -1;
  s.config = "[train]\nepochs = 9\n";
  s.model["conv.weight"] = torch::arange(6, torch::kFloat32).reshape({2, 3});
  s.optimizer["conv.weight.step"] = torch::tensor({40}, torch::kInt64);
  s.write(dir / "state.safetensors");
  const train::TrainingState r = train::TrainingState::read(dir / "state.safetensors");
  EXPECT_EQ(r.epochs_done, 4);
  EXPECT_EQ(r.step, 40);
  EXPECT_TRUE(std::isnan(r.best_score));
  EXPECT_EQ(r.config, s.config);
  EXPECT_TRUE(torch::equal(r.model.at("conv.weight"), s.model.at("conv.weight")));
  EXPECT_TRUE(torch::equal(r.optimizer.at("conv.weight.step"), s.optimizer.at("conv.weight.step")));
  EXPECT_TRUE(r.ema.empty());
  models::write_safetensors(dir / "plain.safetensors", s.model);
  EXPECT_NE(testing::error_message([&] {
              train::TrainingState::read(dir / "plain.safetensors");
            }).find("not a chorus training state"),
            std::string::npos);
}

}  // namespace
}  // namespace chorus
