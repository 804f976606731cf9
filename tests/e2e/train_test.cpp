// `chorus train` from the command line: a run on a synthetic set that `chorus predict` then uses,
// two data-parallel processes on loopback, and the errors a user meets first.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sndfile.h>
#include <torch/types.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <future>
#include <map>

#include "e2e/tiny_set.hpp"
#include "formats/csv_table.hpp"
#include "formats/pseudo_table.hpp"
#include "infer/network_scorer.hpp"
#include "models/checkpoint.hpp"
#include "models/safetensors.hpp"
#include "support/signals.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

using testing::run_chorus;
using testing::TempDir;

using testing::TinySet;

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
  // Every epoch but the last says how long the whole run has left; padded cmAP says so.
  const auto epoch_line = [&](const std::string& prefix) {
    const auto at = r.out.find(prefix);
    return at == std::string::npos ? std::string() : r.out.substr(at, r.out.find('\n', at) - at);
  };
  EXPECT_NE(epoch_line("epoch 1/").find(" | run: about "), std::string::npos) << r.out;
  EXPECT_NE(epoch_line("epoch 1/").find(" padded_cmap "), std::string::npos) << r.out;
  EXPECT_EQ(epoch_line("epoch 2/2").find(" | run: about "),  // kTinyConfig: 2 epochs
            std::string::npos)
      << r.out;
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
  // The teacher applies to the fold's training clips, never to the held-out ones.
  EXPECT_NE(student.out.find("teacher: 6 items blended (data.pseudo_blend = 0.05), 0 promoted, "
                             "0 dropped, 0 without"),
            std::string::npos)
      << student.out;
  EXPECT_NE(student.out.find(fmt::format("(chorus pseudo-label table): {} chunks over 3 classes",
                                         labels.rows.size())),
            std::string::npos)
      << student.out;
  const formats::CsvTable decisions =
      formats::CsvTable::read(t.dir / "student" / "teacher_decisions.csv");
  EXPECT_EQ(decisions.rows(), 6u);
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

// `chorus train` of the tiny set for one epoch into DIR/<name>, with `extra` arguments.
testing::CommandResult train_one_epoch(const TinySet& t, const std::string& name,
                                       const std::vector<std::string>& extra) {
  std::vector<std::string> args{"train",    t.set,
                                "--config", t.config,
                                "--set",    "train.epochs=1",
                                "--out",    (t.dir / name).string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_chorus(args);
}

// The first epoch's training loss of a run (train_log.jsonl, as written: a double).
double first_loss(const std::filesystem::path& run) {
  const std::string log = testing::read_text(run / "train_log.jsonl");
  const std::size_t at = log.find("\"train_loss\":");
  EXPECT_NE(at, std::string::npos) << log;
  return std::stod(log.substr(at + 13));
}

// model.stochastic_depth through `chorus train`: ResNet-18 has none by default; set, the branches
// drop in training and the run learns otherwise.
TEST(Train, StochasticDepthChangesTraining) {
  TinySet t;
  const auto train = [&](const std::string& name, const std::vector<std::string>& extra) {
    const auto r = train_one_epoch(t, name, extra);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return first_loss(t.dir / name);
  };
  const double plain = train("plain", {});
  EXPECT_EQ(train("zero", {"--set", "model.stochastic_depth=0"}), plain);
  EXPECT_NE(train("dropping", {"--set", "model.stochastic_depth=0.5"}), plain);
}

// train.precision through `chorus train`: bf16 forward passes (LibTorch's CPU autocast) train to
// about fp32's loss, not to exactly it (ResNet-18 and EfficientNet-B0), and the run says so and
// records it in config.toml; below AVX-512, where oneDNN has no bf16 kernels, the run is refused
// naming the key; so is int8.
TEST(Train, PrecisionBf16TrainsNearFp32) {
  TinySet t;
  const auto fp32 = train_one_epoch(t, "fp32", {});
  ASSERT_EQ(fp32.exit_code, 0) << fp32.err;
  // int8 is a prediction format: refused for training with the reason.
  const auto int8 = train_one_epoch(t, "int8", {"--set", "train.precision=\"int8\""});
  EXPECT_EQ(int8.exit_code, 2);
  EXPECT_NE(int8.err.find("train.precision = int8: training computes in fp32 or bf16"),
            std::string::npos)
      << int8.err;
  const auto bf16 = train_one_epoch(t, "bf16", {"--set", "train.precision=\"bf16\""});
  if (bf16.exit_code == 2) {
    EXPECT_NE(bf16.err.find("train.precision = bf16 needs a CPU with AVX-512"), std::string::npos)
        << bf16.err;
    return;
  }
  ASSERT_EQ(bf16.exit_code, 0) << bf16.err;
  EXPECT_NE(bf16.out.find("forward passes in bf16 (oneDNN ISA "), std::string::npos) << bf16.out;
  EXPECT_NE(testing::read_text(t.dir / "bf16" / "config.toml").find("precision = \"bf16\""),
            std::string::npos);
  const double a = first_loss(t.dir / "fp32"), b = first_loss(t.dir / "bf16");
  EXPECT_NE(a, b) << "bf16 gave fp32's loss";
  // One epoch of a few steps: the logits differ by bf16's rounding (a few 2^-8 of their scale),
  // the weights by what that does to a few AdamW steps.
  EXPECT_NEAR(b, a, 0.05 * a);

  // EfficientNet-B0, whose bf16 forward keeps its depthwise convolutions in float32 and runs its
  // SiLUs (and their gradients) on chorus's bf16 kernels: the same, near fp32 and not equal.
  const std::vector<std::string> effnet{"--set", "model.arch=\"efficientnet_b0\""};
  const auto train = [&](const std::string& name, std::vector<std::string> extra) {
    extra.insert(extra.end(), effnet.begin(), effnet.end());
    const auto r = train_one_epoch(t, name, extra);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return first_loss(t.dir / name);
  };
  const double e32 = train("effnet_fp32", {});
  const double e16 = train("effnet_bf16", {"--set", "train.precision=\"bf16\""});
  EXPECT_NE(e32, e16) << "bf16 gave fp32's loss";
  EXPECT_NEAR(e16, e32, 0.05 * e32);
}

// Training validation scores in the recipe's infer.precision: bf16 under LibTorch's autocast (the
// run says so, and the scorer it validates with gives bf16-resolution scores of the trained
// network, not fp32's); int8, which needs a model calibrated after training, validates in fp32.
TEST(Train, ValidationScoresInInferPrecision) {
  TinySet t;
  const std::string folds = (t.dir / "folds.csv").string();
  ASSERT_EQ(
      run_chorus({"folds", t.set + "/train_metadata.csv", "--out", folds, "--k", "2"}).exit_code,
      0);
  const auto train_one_epoch = [&](const std::string& name, const std::vector<std::string>& extra) {
    std::vector<std::string> with_fold{"--metadata", folds, "--fold", "1"};
    with_fold.insert(with_fold.end(), extra.begin(), extra.end());
    return chorus::train_one_epoch(t, name, with_fold);
  };
  const auto int8 = train_one_epoch("int8", {"--set", "infer.precision=\"int8\""});
  ASSERT_EQ(int8.exit_code, 0) << int8.err;
  EXPECT_NE(int8.out.find("validation in fp32 (infer.precision = int8 needs the model calibrated"),
            std::string::npos)
      << int8.out;
  const auto bf16 = train_one_epoch("bf16", {"--set", "infer.precision=\"bf16\""});
  if (bf16.exit_code == 2) {  // below AVX-512: as predict, refused naming the key
    EXPECT_NE(bf16.err.find("infer.precision = bf16 needs a CPU with AVX-512"), std::string::npos)
        << bf16.err;
    return;
  }
  ASSERT_EQ(bf16.exit_code, 0) << bf16.err;
  EXPECT_NE(bf16.out.find("validation in bf16 (oneDNN ISA "), std::string::npos) << bf16.out;
  EXPECT_NE(testing::read_text(t.dir / "bf16" / "train_log.jsonl").find("\"validation\""),
            std::string::npos);

  const models::Checkpoint checkpoint = models::Checkpoint::read(t.dir / "bf16" / "last.ckpt");
  const auto network = checkpoint.instantiate();
  const auto scorer = [&](graph::Precision precision) {
    return infer::NetworkScorer(network, checkpoint.audio, checkpoint.features, checkpoint.classes,
                                precision);
  };
  torch::manual_seed(7);
  const int mels = checkpoint.features.n_mels, frames = 120, windows = 3;
  const torch::Tensor x = torch::randn({windows, mels, frames});
  std::vector<float> fp32(windows * checkpoint.classes.size()), bf16_scores(fp32.size());
  const std::span<const float> input(x.data_ptr<float>(), static_cast<std::size_t>(x.numel()));
  scorer(graph::Precision::fp32).score(input, windows, mels, frames, fp32);
  scorer(graph::Precision::bf16).score(input, windows, mels, frames, bf16_scores);
  float scale = 1, largest = 0;
  for (std::size_t i = 0; i < fp32.size(); ++i) {
    scale = std::max(scale, std::abs(fp32[i]));
    largest = std::max(largest, std::abs(fp32[i] - bf16_scores[i]));
  }
  // As the compiled network's bf16 (runtime tests): within 0.03 of the logits' scale, and above
  // fp32's rounding.
  EXPECT_LE(largest, 0.03f * scale);
  EXPECT_GT(largest, 1e-6f) << "autocast did not run";
}

// Each self-training key through `chorus train`: a setting that should not change the run gives
// exactly the loss of the run without pseudo-labels, one that should gives another.
TEST(Train, PseudoLabelKeysChangeWhatIsLearnt) {
  TinySet t;
  const auto train = [&](const std::string& name, const std::vector<std::string>& sets) {
    std::vector<std::string> extra;
    for (const std::string& kv : sets) extra.insert(extra.end(), {"--set", kv});
    const auto r = train_one_epoch(t, name, extra);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return std::make_pair(first_loss(t.dir / name), r.out);
  };
  const double base = train("base", {}).first;
  const std::string model = (t.dir / "base" / "last.ckpt").string();
  const std::string pool = (t.dir / "pool.csv").string(), clips = (t.dir / "clips.csv").string();
  // The soundscape's 3 s chunks, every fifth one confident: confidence sampling then draws
  // otherwise than uniform sampling (near-equal confidences would map draws alike).
  std::string rows = "recording,start_s,end_s,sp01,sp02,sp03\n";
  for (int k = 0; k < 20; ++k)
    rows += fmt::format("{}/soundscapes/soundscape_00.ogg,{},{},{},0.1,0.3\n", t.set, 3 * k,
                        3 * k + 3, k % 5 == 0 ? 0.9 : 0.02);
  testing::write_text(pool, rows);
  ASSERT_EQ(run_chorus({"pseudo", t.set + "/train_audio", "--model", model, "--config", t.config,
                        "--out", clips})
                .exit_code,
            0);
  const std::string labels = "data.pseudo_labels=" + pool, mix = "data.pseudo_use=mix";

  // Appended items: their weight matters.
  const auto [items, items_out] = train("items", {labels});
  EXPECT_NE(items, base);
  EXPECT_NE(train("items_w1", {labels, "data.pseudo_weight=1"}).first, items);
  EXPECT_NE(train("items_share", {labels, "data.labelled_share=0.9"}).first, items);
  // Mixed in: never at p = 0 (exactly the clips-only run), at p = 1 every input; the draw by
  // confidence is another run than the uniform one.
  EXPECT_EQ(train("mix0", {labels, mix, "data.pseudo_mix_p=0"}).first, base);
  const auto [mixed, mixed_out] = train("mix1", {labels, mix, "data.pseudo_mix_p=1"});
  EXPECT_NE(mixed, base);
  EXPECT_NE(mixed, items);
  EXPECT_NE(mixed_out.find("mixed into inputs with data.pseudo_mix_p = 1"), std::string::npos)
      << mixed_out;
  EXPECT_NE(mixed_out.find("training resnet18 on 12 items (and "), std::string::npos) << mixed_out;
  EXPECT_NE(
      train("mix1_conf", {labels, mix, "data.pseudo_mix_p=1", "data.pseudo_sampling=confidence"})
          .first,
      mixed);
  // A teacher blended with weight 0 is no teacher; with 0.5 it changes the targets.
  EXPECT_EQ(train("blend0", {"data.teacher=" + clips, "data.pseudo_blend=0"}).first, base);
  EXPECT_NE(train("blend5", {"data.teacher=" + clips, "data.pseudo_blend=0.5"}).first, base);
  // Secondary labels out of the loss (target = masked): the teacher fills them, with a weight.
  const double masked = train("masked", {"data.target=masked", "data.teacher=" + clips}).first;
  const auto [filled, filled_out] =
      train("masked_filled",
            {"data.target=masked", "data.teacher=" + clips, "data.teacher_masked_weight=0.5"});
  EXPECT_NE(filled, masked);
  EXPECT_NE(filled_out.find("masked cells filled (weight 0.5)"), std::string::npos) << filled_out;

  // A BirdNET-Analyzer table by common names (the set's taxonomy.csv): sp01_0002 (labelled sp01,
  // secondary sp03) heard as sp03, sp01_0000 heard as sp02, sp01_0003 as sp01, and a species
  // the set lacks.
  const formats::CsvTable taxonomy = formats::CsvTable::read(t.set + "/taxonomy.csv");
  const auto common = [&](std::size_t row) {
    return taxonomy.at(row, taxonomy.column("common_name"));
  };
  const std::string birdnet = (t.dir / "birdnet.csv").string();
  testing::write_text(birdnet,
                      fmt::format("Start (s),End (s),Scientific name,Common name,Confidence,File\n"
                                  "0,3,X y,{},0.9,elsewhere/sp01/sp01_0002.ogg\n"
                                  "0,3,X z,{},0.8,elsewhere/sp01/sp01_0000.ogg\n"
                                  "0,3,Strix varia,Barred Owl,0.7,elsewhere/sp01/sp01_0000.ogg\n"
                                  "0,3,X x,{},0.6,elsewhere/sp01/sp01_0003.ogg\n",
                                  common(2), common(1), common(0)));
  const std::string teacher = "data.teacher=" + birdnet;
  const double kept = train("birdnet", {teacher}).first;
  const auto [judged, judged_out] =
      train("birdnet_judged",
            {teacher, "data.teacher_drop_disagreeing=true", "data.teacher_promote_secondary=true"});
  EXPECT_NE(judged_out.find("(BirdNET-Analyzer CSV): 3 chunks over 3 classes"), std::string::npos)
      << judged_out;
  EXPECT_NE(judged_out.find("1 names no class goes by, left out: Strix varia (1 rows)"),
            std::string::npos)
      << judged_out;
  EXPECT_NE(judged_out.find("2 items blended (data.pseudo_blend = 0.05), 1 promoted, 1 dropped, 9 "
                            "without the teacher's labels"),
            std::string::npos)
      << judged_out;
  EXPECT_NE(judged, kept);
  // Dropping alone differs from keeping every clip, and promoting on top of it differs again.
  const double dropped =
      train("birdnet_drop", {teacher, "data.teacher_drop_disagreeing=true"}).first;
  EXPECT_NE(dropped, kept);
  EXPECT_NE(dropped, judged);
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

// The first convolution's weights of a checkpoint.
torch::Tensor first_conv(const std::filesystem::path& checkpoint) {
  return models::read_safetensors(checkpoint).tensors.at("conv1.weight");
}

// train.init_from through `chorus train`: at a learning rate too small to move anything, a run
// that starts from a model ends with that model's weights, and one that does not, without them;
// a folder stands for its best.ckpt. What cannot be fine-tuned is refused naming the reason.
TEST(Train, InitFromStartsFromAModelsWeights) {
  TinySet t;
  const auto train = [&](const std::string& name, const std::vector<std::string>& extra) {
    return train_one_epoch(t, name, extra);
  };
  const auto teacher = train("teacher", {"--set", "train.seed=9"});
  ASSERT_EQ(teacher.exit_code, 0) << teacher.err;
  const torch::Tensor start = first_conv(t.dir / "teacher/best.ckpt");
  // The checkpoint carries the common names of the set's taxonomy.csv, in class order.
  const models::Checkpoint trained = models::Checkpoint::read(t.dir / "teacher/best.ckpt");
  const formats::CsvTable taxonomy = formats::CsvTable::read(t.set + "/taxonomy.csv");
  ASSERT_EQ(trained.names.common.size(), 3u);
  for (std::size_t row = 0; row < taxonomy.rows(); ++row) {
    const auto cls = std::find(trained.classes.begin(), trained.classes.end(),
                               taxonomy.at(row, taxonomy.column("primary_label")));
    ASSERT_NE(cls, trained.classes.end());
    EXPECT_EQ(trained.names.common[cls - trained.classes.begin()],
              taxonomy.at(row, taxonomy.column("common_name")));
  }
  const std::vector<std::string> still{"--set", "train.lr=1e-12", "--set", "train.min_lr=0"};
  std::vector<std::string> from = still;
  from.insert(from.end(), {"--set", "train.init_from=" + (t.dir / "teacher").string()});
  const auto tuned = train("tuned", from);
  ASSERT_EQ(tuned.exit_code, 0) << tuned.err;
  EXPECT_NE(tuned.out.find("starting from " + (t.dir / "teacher/best.ckpt").string()),
            std::string::npos)
      << tuned.out;
  // AdamW's first steps move a weight by about lr: 1e-12 against weights of order 0.1.
  EXPECT_TRUE(torch::allclose(first_conv(t.dir / "tuned/last.ckpt"), start, 0, 1e-9));
  ASSERT_EQ(train("fresh", still).exit_code, 0);
  EXPECT_GT((first_conv(t.dir / "fresh/last.ckpt") - start).abs().max().item<float>(), 1e-3);

  const auto refused = [&](const std::string& name, std::vector<std::string> sets,
                           const std::string& expected) {
    const auto r = train(name, sets);
    EXPECT_EQ(r.exit_code, 2) << name;
    EXPECT_NE(r.err.find(expected), std::string::npos) << name << ": " << r.err;
  };
  const std::string init = "train.init_from=" + (t.dir / "teacher").string();
  refused("missing", {"--set", "train.init_from=" + (t.dir / "none.ckpt").string()},
          "no such checkpoint or folder");
  refused("empty_folder", {"--set", "train.init_from=" + t.set}, "the folder holds no best.ckpt");
  refused("other_mels", {"--set", init, "--set", "features.n_mels=40"},
          "learnt on other input settings: checkpoint `n_mels = 32`, this run `n_mels = 40`");
  refused("other_arch", {"--set", init, "--set", "model.arch=resnet34"}, "missing keys");
  refused("both", {"--set", init, "--set", "train.pretrained=x.safetensors"},
          "train.pretrained and train.init_from both name weights");
  // Another class list: the same synthetic recipe with 2 species.
  const std::string two = (t.dir / "two").string();
  ASSERT_EQ(run_chorus({"synth", "--out", two, "--species", "2", "--clips-per-species", "4",
                        "--soundscapes", "0", "--seed", "5"})
                .exit_code,
            0);
  const auto other_classes = run_chorus({"train", two, "--config", t.config, "--set", init, "--out",
                                         (t.dir / "other_classes").string()});
  EXPECT_EQ(other_classes.exit_code, 2);
  EXPECT_NE(other_classes.err.find("are not this dataset's"), std::string::npos)
      << other_classes.err;
}

// `chorus train` on recordings annotated in Raven: a folder of audio and selection tables trains
// on clips labelled by the boxes, validating on the recordings of the fold held out.
TEST(Train, RavenAnnotatedRecordingsAreADataset) {
  TinySet t;
  const std::filesystem::path raven = t.dir / "raven";
  std::filesystem::create_directories(raven);
  const std::string header =
      "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq "
      "(Hz)\tSpecies\n";
  // Six recordings: fold 0 holds rec0 (sp_a) and rec5 (sp_b), so ROC-AUC is defined on it.
  for (int r = 0; r < 6; ++r) {
    const std::string name = fmt::format("rec{}", r);
    testing::write_raw_wav(raven / (name + ".wav"), testing::white_noise(32000, 7.0, 0.1, r + 1), 1,
                           SF_FORMAT_PCM_16);
    testing::write_text(raven / (name + ".Table.1.selections.txt"),
                        header + fmt::format("1\tSpectrogram 1\t1\t1.0\t2.0\t500\t4000\t{}\n",
                                             r % 2 == 1 ? "sp_b" : "sp_a"));
  }
  const auto r = run_chorus({"train", raven.string(), "--config", t.config, "--fold", "0", "--set",
                             "train.epochs=1", "--out", (t.dir / "raven_run").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // 7 s in 3 s clips: [0, 3) and [3, 7); the box at 1–2 s labels the first of each recording.
  EXPECT_NE(r.out.find("Raven tables: 6 tables over 6 recordings → 12 clips of 3 s (6 with a "
                       "call), folds by recording"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("validating on fold 0 (4 items)"), std::string::npos) << r.out;
  EXPECT_EQ(models::Checkpoint::read(t.dir / "raven_run/best.ckpt").classes,
            (std::vector<std::string>{"sp_a", "sp_b"}));
  // Fold 2 is rec2 alone: no negative of sp_a, no positive of sp_b, no ROC-AUC, no best epoch.
  const auto single = run_chorus({"train", raven.string(), "--config", t.config, "--fold", "2",
                                  "--set", "train.epochs=1", "--out", (t.dir / "single").string()});
  ASSERT_EQ(single.exit_code, 0) << single.err;
  EXPECT_NE(single.err.find("warning: no epoch gave a defined roc_auc on fold 2"),
            std::string::npos)
      << single.err;
  EXPECT_FALSE(std::filesystem::exists(t.dir / "single/best.ckpt"));
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
