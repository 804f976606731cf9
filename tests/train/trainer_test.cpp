// The training loop end to end on a tiny synthetic set: it learns, a resumed run equals an
// uninterrupted one, a corrupt recording is skipped, and its records round-trip.

#include <gtest/gtest.h>
#include <torch/types.h>

#include <cmath>
#include <fstream>

#include "data/dataset_dir.hpp"
#include "data/synthetic_dataset.hpp"
#include "models/checkpoint.hpp"
#include "support/test_support.hpp"
#include "train/train_log.hpp"
#include "train/trainer.hpp"
#include "train/training_state.hpp"
#include "train/validation_set.hpp"

namespace chorus {
namespace {

using testing::TempDir;

// 3 synthetic species × 12 clips, made once for the whole suite.
const std::filesystem::path& tiny_dataset() {
  static TempDir dir;
  static const bool made = [] {
    data::SyntheticDatasetOptions o;
    o.species = 3;
    o.clips_per_species = 12;
    o.soundscapes = 0;
    o.seed = 11;
    data::write_synthetic_dataset(dir / "set", o, 2);
    return true;
  }();
  (void)made;
  static const std::filesystem::path root = dir / "set";
  return root;
}

// A small, fast set-up: 32 mels over 5-second windows (a call interval at least), resnet18, a handful of steps.
train::TrainSetup tiny_setup(const std::filesystem::path& dataset_root, const std::filesystem::path& out,
                             int epochs) {
  train::TrainSetup s;
  train::ExperimentConfig& c = s.config;
  c.features.n_fft = 512;
  c.features.hop_length = 512;
  c.features.n_mels = 32;
  c.features.normalize = "minmax";
  c.data.window_seconds = 5.0;
  c.infer.chunk_seconds = 5.0;
  c.infer.context_seconds = 5.0;
  c.model.arch = "resnet18";
  c.model.dropout = 0.0;
  c.model.num_classes = 3;
  c.train.epochs = epochs;
  c.train.batch_size = 8;
  c.train.lr = 3e-3;
  c.train.warmup_epochs = 0.5;
  c.train.loss = "bce";
  c.train.workers = 2;
  c.validate();
  const data::DatasetDir dir = data::DatasetDir::open(dataset_root);
  s.dataset = data::Dataset::from_clips(dir, data::ClassList::from_metadata(dir.metadata), c.data, 1);
  // Every third clip held out.
  for (std::size_t i = 0; i < s.dataset.items.size(); ++i)
    (i % 3 == 2 ? s.validation_items : s.train_items).push_back(i);
  s.out_dir = out;
  s.threads = 2;
  s.quiet = true;
  return s;
}

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
  EXPECT_TRUE(std::filesystem::exists(out / "training_curves.png"));
  const models::Checkpoint best = models::Checkpoint::read(out / "best.ckpt");
  EXPECT_EQ(best.classes, setup.dataset.classes.names());
  EXPECT_EQ(best.features.n_mels, 32);
}

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
  EXPECT_NE(r.load_failures.front().find(victim.filename().string()), std::string::npos) << r.load_failures.front();
}

TEST(ExampleConfigs, EveryRecipeLoadsAndValidates) {
  int loaded = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(CHORUS_SOURCE_DIR) / "examples")) {
    if (entry.path().extension() != ".toml") continue;
    train::ExperimentConfig config;
    EXPECT_NO_THROW(config.load(entry.path().string(), {})) << entry.path();
    ++loaded;
  }
  EXPECT_GE(loaded, 4);  // birdclef2024, esc50, rfcx, sed
}

TEST(ValidationSet, OneRowPerRecordingWithHardTruthAndMask) {
  data::Dataset d;
  d.classes = data::ClassList({"a", "b", "c"}, "test");
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
  EXPECT_NE(testing::error_message([&] { train::TrainingState::read(dir / "plain.safetensors"); })
                .find("not a chorus training state"),
            std::string::npos);
}

}  // namespace
}  // namespace chorus
