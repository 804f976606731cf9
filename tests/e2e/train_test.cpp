// `chorus train` from the command line: a run on a synthetic set that `chorus predict` then uses,
// two data-parallel processes on loopback, and the errors a user meets first.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <future>
#include <map>

#include "formats/csv_table.hpp"
#include "formats/pseudo_table.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

using testing::run_chorus;
using testing::TempDir;

constexpr const char* kTinyConfig = R"([features]
n_fft = 512
hop_length = 512
n_mels = 32
normalize = "minmax"
[data]
window_seconds = 3.0
[model]
arch = "resnet18"
[train]
epochs = 2
batch_size = 4
workers = 1
[infer]
chunk_seconds = 3.0
context_seconds = 3.0
)";

struct TinySet {
  TempDir dir;
  std::string set = (dir / "set").string(), config = (dir / "tiny.toml").string();
  TinySet() {
    EXPECT_EQ(run_chorus({"synth", "--out", set, "--species", "3", "--clips-per-species", "4",
                          "--soundscapes", "1", "--seed", "5"})
                  .exit_code,
              0);
    testing::write_text(config, kTinyConfig);
  }
};

TEST(Train, TrainsACheckpointThatPredictUses) {
  TinySet t;
  const std::string folds = (t.dir / "folds.csv").string(), out = (t.dir / "run").string();
  ASSERT_EQ(
      run_chorus({"folds", t.set + "/train_metadata.csv", "--out", folds, "--k", "2"}).exit_code,
      0);
  const auto r = run_chorus({"train", t.set, "--metadata", folds, "--fold", "1", "--config",
                             t.config, "--out", out, "--threads", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("validating on fold 1"), std::string::npos) << r.out;
  for (const char* file :
       {"best.ckpt", "last.ckpt", "config.toml", "train_log.jsonl", "training_curves.png"})
    EXPECT_TRUE(std::filesystem::exists(t.dir / "run" / file)) << file;
  const auto p = run_chorus({"predict", t.set + "/soundscapes", "--model", out + "/best.ckpt",
                             "--out", (t.dir / "pred").string(), "--config", t.config});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_NE(testing::read_text(t.dir / "pred" / "submission.csv").find("row_id,sp01,sp02,sp03"),
            std::string::npos);
}

// The fold column of a clip table: file name (folder/file) → fold.
std::map<std::string, int> folds_of(const std::string& table) {
  const formats::CsvTable csv = formats::CsvTable::read(table);
  std::map<std::string, int> folds;
  for (std::size_t r = 0; r < csv.rows(); ++r)
    folds[csv.at(r, csv.column("filename"))] = static_cast<int>(csv.integer(r, csv.column("fold")));
  return folds;
}

std::string folder_and_name(const std::string& path) {
  const std::filesystem::path p(path);
  return (p.parent_path().filename() / p.filename()).generic_string();
}

// Out-of-fold labels: each training recording is labelled by the model that held its fold out
// and by no other; a model whose folds are not the dataset's, or that held none out, is refused.
TEST(Train, OutOfFoldLabelsUseOnlyTheModelThatHeldTheRecordingOut) {
  TinySet t;
  const std::string folds = (t.dir / "folds.csv").string(), run = (t.dir / "run").string();
  ASSERT_EQ(
      run_chorus({"folds", t.set + "/train_metadata.csv", "--out", folds, "--k", "2"}).exit_code,
      0);
  const auto trained =
      run_chorus({"train", t.set, "--metadata", folds, "--all-folds", "--config", t.config, "--set",
                  "train.epochs=1", "--out", run, "--threads", "2"});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  const std::string m0 = run + "/fold0/best.ckpt", m1 = run + "/fold1/best.ckpt";
  const auto oof =
      run_chorus({"pseudo", t.set, "--oof", "--metadata", folds, "--model", m0, "--model", m1,
                  "--config", t.config, "--out", (t.dir / "oof.csv").string()});
  ASSERT_EQ(oof.exit_code, 0) << oof.err;
  // Each model on every training recording, for comparison.
  for (const std::string& m : {m0, m1})
    ASSERT_EQ(run_chorus({"pseudo", t.set + "/train_audio", "--model", m, "--config", t.config,
                          "--out", m + ".csv"})
                  .exit_code,
              0);
  const std::map<std::string, int> fold = folds_of(folds);
  const std::array<formats::PseudoTable, 2> by_model{formats::read_pseudo_table(m0 + ".csv"),
                                                     formats::read_pseudo_table(m1 + ".csv")};
  const formats::PseudoTable labels = formats::read_pseudo_table(t.dir / "oof.csv");
  ASSERT_EQ(labels.rows.size(), by_model[0].rows.size());  // every clip is in a fold
  const auto row_of = [](const formats::PseudoTable& table, const formats::PseudoRow& like) {
    for (const formats::PseudoRow& r : table.rows)
      if (folder_and_name(r.recording) == folder_and_name(like.recording) &&
          r.start_seconds == like.start_seconds)
        return r;
    ADD_FAILURE() << like.recording << " at " << like.start_seconds << " not labelled";
    return like;
  };
  int differing = 0;
  for (const formats::PseudoRow& r : labels.rows) {
    const int k = fold.at(folder_and_name(r.recording));
    EXPECT_EQ(r.probabilities, row_of(by_model[k], r).probabilities) << r.recording;
    differing += r.probabilities != row_of(by_model[1 - k], r).probabilities;
  }
  EXPECT_GT(differing, 0);  // the two models disagree, so a swapped model would show

  // A student: the out-of-fold labels as the clips' teacher, the soundscape's chunks as
  // pseudo-labelled items.
  const std::string soundscape_labels = (t.dir / "soundscapes.csv").string();
  ASSERT_EQ(run_chorus({"pseudo", t.set + "/soundscapes", "--model", m0, "--config", t.config,
                        "--out", soundscape_labels})
                .exit_code,
            0);
  const std::size_t soundscape_chunks = formats::read_pseudo_table(soundscape_labels).rows.size();
  const auto student =
      run_chorus({"train", t.set, "--metadata", folds, "--fold", "0", "--config", t.config, "--set",
                  "train.epochs=1", "--set", "data.teacher=" + (t.dir / "oof.csv").string(),
                  "--set", "data.pseudo_labels=" + soundscape_labels, "--set",
                  "data.pseudo_weight=0.4", "--out", (t.dir / "student").string()});
  ASSERT_EQ(student.exit_code, 0) << student.err;
  EXPECT_NE(student.out.find("12 items blended (data.pseudo_blend = 0.05), 0 without"),
            std::string::npos)
      << student.out;
  EXPECT_NE(
      student.out.find(fmt::format("{} items from 1 recordings (weight 0.4)", soundscape_chunks)),
      std::string::npos)
      << student.out;
  // The pseudo items train and are never validated on: fold 0's clips only.
  EXPECT_NE(student.out.find(fmt::format("training resnet18 on {} items, validating on fold 0",
                                         soundscape_chunks + 6)),
            std::string::npos)
      << student.out;

  // Another fold assignment than the models were trained with: refused, nothing written.
  const std::string other = (t.dir / "other.csv").string();
  ASSERT_EQ(run_chorus(
                {"folds", t.set + "/train_metadata.csv", "--out", other, "--k", "2", "--seed", "7"})
                .exit_code,
            0);
  const auto moved = run_chorus({"pseudo", t.set, "--oof", "--metadata", other, "--model", m0,
                                 "--out", (t.dir / "x.csv").string()});
  EXPECT_EQ(moved.exit_code, 2);
  EXPECT_NE(moved.err.find("trained on another fold assignment"), std::string::npos) << moved.err;
  EXPECT_FALSE(std::filesystem::exists(t.dir / "x.csv"));
}

TEST(Train, TwoDataParallelProcessesOnLoopback) {
  TinySet t;
  const std::string port = std::to_string(20000 + ::getpid() % 20000);
  const auto rank = [&](int r) {
    return run_chorus({"train", t.set, "--config", t.config, "--out",
                       (t.dir / ("rank" + std::to_string(r))).string(), "--threads", "1",
                       "--world-size", "2", "--rank", std::to_string(r), "--master",
                       "127.0.0.1:" + port});
  };
  auto second = std::async(std::launch::async, rank, 1);
  const auto first = rank(0);
  const auto other = second.get();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(other.exit_code, 0) << other.err;
  EXPECT_TRUE(std::filesystem::exists(t.dir / "rank0" / "last.ckpt"));
  EXPECT_FALSE(std::filesystem::exists(t.dir / "rank1" / "last.ckpt"));  // rank 0 writes
}

TEST(Train, ClearErrors) {
  TinySet t;
  const auto no_folds = run_chorus(
      {"train", t.set, "--fold", "0", "--config", t.config, "--out", (t.dir / "x").string()});
  EXPECT_EQ(no_folds.exit_code, 2);
  EXPECT_NE(no_folds.err.find("no item has a fold"), std::string::npos) << no_folds.err;
  const auto bad_key =
      run_chorus({"train", t.set, "--set", "train.epoch=3", "--out", (t.dir / "y").string()});
  EXPECT_EQ(bad_key.exit_code, 2);
  EXPECT_NE(bad_key.err.find("epoch"), std::string::npos) << bad_key.err;
}

}  // namespace
}  // namespace chorus
