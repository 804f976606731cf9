// chorus import → forward → predict → merge, end to end through the executable.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <fstream>
#include <nlohmann/json.hpp>
#include <utility>

#include "audio/audio_writer.hpp"
#include "core/npy.hpp"
#include "e2e/random_checkpoint.hpp"
#include "models/model_registry.hpp"
#include "models/safetensors.hpp"
#include "models/state_dict.hpp"
#include "support/signals.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

using testing::run_chorus;

TEST(Predict, RunsWithoutLibTorchAndHandsOverOnlyACheckpointWithoutADescription) {
  testing::TempDir dir;
  ASSERT_EQ(testing::import_random_resnet18(dir.path(), {"sp1", "sp2"}).exit_code, 0);
  audio::write_audio(dir / "s.ogg", testing::white_noise(32000, 7.0, 0.1, 1), 32000);
  // chorus alone, without chorus-torch beside it to hand anything over to.
  std::filesystem::create_directories(dir / "alone");
  std::filesystem::copy_file(CHORUS_BINARY, dir / "alone" / "chorus");
  const auto predict = [&](const std::filesystem::path& program, const std::string& model,
                           const std::string& out) {
    return testing::run_program(program, {"--quiet", "predict", (dir / "s.ogg").string(), "--model",
                                          (dir / model).string(), "--out", (dir / out).string()});
  };
  const auto alone = predict(dir / "alone" / "chorus", "m.ckpt", "alone");
  ASSERT_EQ(alone.exit_code, 0) << alone.err;
  // The same scores as chorus-torch's (which compiles the checkpoint read by LibTorch).
  const std::filesystem::path torch_program =
      std::filesystem::path(CHORUS_BINARY).parent_path() / "chorus-torch";
  ASSERT_EQ(predict(torch_program, "m.ckpt", "torch").exit_code, 0);
  EXPECT_EQ(testing::read_text(dir / "alone" / "submission.csv"),
            testing::read_text(dir / "torch" / "submission.csv"));

  // A checkpoint written before checkpoints stored their network's description: chorus hands it
  // over (and says so when chorus-torch is missing); the pair scores it the same.
  models::SafetensorsFile file = models::read_safetensors(dir / "m.ckpt");
  nlohmann::json meta = nlohmann::json::parse(file.metadata.at("chorus"));
  meta.erase("inference");
  file.metadata["chorus"] = meta.dump();
  models::write_safetensors(dir / "old.ckpt", file.tensors, file.metadata);
  const auto handed = predict(dir / "alone" / "chorus", "old.ckpt", "handed");
  EXPECT_NE(handed.exit_code, 0);
  EXPECT_NE(handed.err.find("chorus-torch"), std::string::npos) << handed.err;
  const auto old = predict(CHORUS_BINARY, "old.ckpt", "old");
  ASSERT_EQ(old.exit_code, 0) << old.err;
  EXPECT_EQ(testing::read_text(dir / "old" / "submission.csv"),
            testing::read_text(dir / "torch" / "submission.csv"));
}

TEST(Predict, ImportForwardPredictShardAndMerge) {
  testing::TempDir dir;
  // "torchvision" weights: a 3-channel ResNet-18 with a 10-class head.
  const auto imported = testing::import_random_resnet18(dir.path(), {"sp1", "sp2", "sp3"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("classifier replaced for 3 classes"), std::string::npos)
      << imported.out;
  // chorus info describes the checkpoint with its stored configuration.
  const auto info = run_chorus({"info", "--model", (dir / "m.ckpt").string()});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("head        fc: Linear 512 → 3"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("input       [1, 1, 128, 641]"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("output      [1, 3]"), std::string::npos) << info.out;

  const std::vector<float> x(2 * 128 * 641, 0.5f);
  const std::array<std::int64_t, 4> shape{2, 1, 128, 641};
  core::write_npy(dir / "x.npy", x, shape);
  const auto forward = run_chorus({"forward", "--model", (dir / "m.ckpt").string(), "--input",
                                   (dir / "x.npy").string(), "--output", (dir / "y.npy").string()});
  ASSERT_EQ(forward.exit_code, 0) << forward.err;
  EXPECT_EQ(core::read_npy(dir / "y.npy").shape, (std::vector<std::int64_t>{2, 3}));

  const auto folder = dir / "audio";
  std::filesystem::create_directories(folder);
  audio::write_audio(folder / "s1.ogg", testing::white_noise(32000, 12.0, 0.1, 1), 32000);
  audio::write_audio(folder / "s2.flac", testing::sine(48000, 5.0, 2000, 0.3), 48000);
  std::ofstream(folder / "s3.wav") << "broken";
  const auto single =
      run_chorus({"--quiet", "predict", folder.string(), "--model", (dir / "m.ckpt").string(),
                  "--out", (dir / "run").string(), "--threads", "2"});
  ASSERT_EQ(single.exit_code, 0) << single.err;
  EXPECT_NE(single.out.find("3 recordings: 2 predicted, 0 resumed, 1 failed"), std::string::npos)
      << single.out;
  const std::string submission = testing::read_text(dir / "run/submission.csv");
  EXPECT_EQ(submission.substr(0, submission.find('\n')), "row_id,sp1,sp2,sp3");
  EXPECT_EQ(std::count(submission.begin(), submission.end(), '\n'), 1 + 3 + 1);
  EXPECT_NE(testing::read_text(dir / "run/errors.csv").find("s3.wav"), std::string::npos);
  for (const char* f : {"detections.csv", "detections.json", "species_summary.csv",
                        "raven/all.selections.txt", "raven/s1.selections.txt", "audacity/s2.txt"})
    EXPECT_TRUE(std::filesystem::exists(dir / "run" / f)) << f;

  for (int i = 1; i <= 2; ++i) {
    const auto part = run_chorus(
        {"--quiet", "predict", folder.string(), "--model", (dir / "m.ckpt").string(), "--out",
         (dir / fmt::format("shard{}", i)).string(), "--shard", fmt::format("{}/2", i)});
    ASSERT_EQ(part.exit_code, 0) << part.err;
  }
  const auto merged = run_chorus({"merge", (dir / "shard1/submission.csv").string(),
                                  (dir / "shard2/submission.csv").string(), "--out",
                                  (dir / "merged.csv").string()});
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_EQ(testing::read_text(dir / "merged.csv"), submission);

  const auto wrong = run_chorus({"predict", folder.string(), "--model",
                                 (dir / "m.safetensors").string(), "--out", (dir / "x").string()});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("not a chorus checkpoint"), std::string::npos) << wrong.err;
}

// Three recordings on two threads: the thread that finishes first takes windows of the last
// recording (core::nested_parallel_for), the outputs are written at once, and everything stays
// what one thread gives.
TEST(Predict, ThreadsThatFinishHelpWithTheLastRecordingAndOutputsStayTheSame) {
  testing::TempDir dir;
  ASSERT_EQ(testing::import_random_resnet18(dir.path(), {"sp1", "sp2", "sp3"}).exit_code, 0);
  const auto folder = dir / "audio";
  std::filesystem::create_directories(folder);
  for (unsigned i = 0; i < 3; ++i)
    audio::write_audio(folder / fmt::format("s{}.flac", i),
                       testing::white_noise(32000, 20.0 + 10.0 * i, 0.1, i + 1), 32000);
  std::string submissions[2];
  const auto output = [&](int threads, const char* file) {
    return testing::read_text(dir / fmt::format("run{}", threads) / file);
  };
  for (const int threads : {1, 2}) {
    const auto run = run_chorus({"--quiet", "predict", folder.string(), "--model",
                                 (dir / "m.ckpt").string(), "--set", "infer.batch_size=2", "--out",
                                 (dir / fmt::format("run{}", threads)).string(), "--threads",
                                 std::to_string(threads)});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    submissions[threads - 1] =
        testing::read_text(dir / fmt::format("run{}/submission.csv", threads));
  }
  EXPECT_EQ(std::count(submissions[0].begin(), submissions[0].end(), '\n'), 1 + 4 + 6 + 8);
  EXPECT_EQ(submissions[1], submissions[0]);
  // The outputs, written by both threads at once, are those of one thread.
  for (const char* file :
       {"detections.csv", "detections.json", "kaleidoscope.csv", "species_summary.csv",
        "raven/all.selections.txt", "raven/s2.selections.txt", "audacity/s1.txt"})
    EXPECT_EQ(output(2, file), output(1, file)) << file;
}

// infer.batch_size moves memory and speed, not a single output byte: each window's head product
// is computed alone (graph/head.cpp), so a window scores the same in a batch of 1, 5 or 16, last
// in a partial batch or first in a full one. What it changes is how many windows one forward
// pass takes: the 12 windows of a minute go through the network in 1, 3 or 12 calls, and above
// 64 (one block of windows) it acts as 64: at 100, 66 windows take 2 calls.
TEST(Predict, BatchSizeLeavesEveryOutputAsItWas) {
  testing::TempDir dir;
  std::vector<std::string> classes;
  for (int i = 0; i < 40; ++i) classes.push_back(fmt::format("sp{}", i));
  ASSERT_EQ(testing::import_random_resnet18(dir.path(), classes).exit_code, 0);
  audio::write_audio(dir / "s.flac", testing::white_noise(32000, 60.0, 0.1, 3), 32000);
  const std::pair<int, const char*> calls[] = {{16, "12 windows through the networks in 1 call"},
                                               {5, "12 windows through the networks in 3 calls"},
                                               {1, "12 windows through the networks in 12 calls"}};
  for (const auto& [batch, line] : calls) {
    const auto run =
        run_chorus({"--quiet", "predict", (dir / "s.flac").string(), "--model",
                    (dir / "m.ckpt").string(), "--set", fmt::format("infer.batch_size={}", batch),
                    "--out", (dir / fmt::format("b{}", batch)).string()});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(run.out.find(fmt::format("{} (infer.batch_size {})", line, batch)), std::string::npos)
        << run.out;
  }
  audio::write_audio(dir / "long.flac", testing::white_noise(32000, 330.0, 0.1, 4), 32000);
  const auto capped = run_chorus({"--quiet", "predict", (dir / "long.flac").string(), "--model",
                                  (dir / "m.ckpt").string(), "--set", "infer.batch_size=100",
                                  "--out", (dir / "long").string()});
  ASSERT_EQ(capped.exit_code, 0) << capped.err;
  EXPECT_NE(capped.out.find("66 windows through the networks in 2 calls"), std::string::npos)
      << capped.out;
  for (const char* file : {"submission.csv", "detections.csv", "detections.json"})
    for (const int batch : {5, 1})
      EXPECT_EQ(testing::read_text(dir / fmt::format("b{}", batch) / file),
                testing::read_text(dir / "b16" / file))
          << file << ", infer.batch_size = " << batch;
}

// The parts of a run are read back on all its threads; of two damaged ones, the error names the
// first in order, as a run on one thread would, whichever thread failed first.
TEST(Predict, OfTwoDamagedPartsTheFirstIsReported) {
  testing::TempDir dir;
  ASSERT_EQ(testing::import_random_resnet18(dir.path(), {"sp1", "sp2"}).exit_code, 0);
  const auto folder = dir / "audio";
  std::filesystem::create_directories(folder);
  for (unsigned i = 0; i < 3; ++i)
    audio::write_audio(folder / fmt::format("s{}.flac", i),
                       testing::white_noise(32000, 6.0, 0.1, i), 32000);
  const auto predict = [&](std::initializer_list<std::string> extra) {
    std::vector<std::string> args = {"--quiet",
                                     "predict",
                                     folder.string(),
                                     "--model",
                                     (dir / "m.ckpt").string(),
                                     "--out",
                                     (dir / "run").string(),
                                     "--threads",
                                     "2"};
    args.insert(args.end(), extra);
    return run_chorus(args);
  };
  ASSERT_EQ(predict({}).exit_code, 0);
  testing::write_text(dir / "run/parts/s1.json", "garbage");
  testing::write_text(dir / "run/parts/s2.json", "{\"path\": 1}");
  for (int round = 0; round < 3; ++round) {
    const auto resumed = predict({"--resume"});
    EXPECT_EQ(resumed.exit_code, 2);
    EXPECT_NE(resumed.err.find((dir / "run/parts/s1.json").string() + ": damaged prediction part"),
              std::string::npos)
        << resumed.err;
  }
}

TEST(Predict, BudgetProjectsAfterTheFirstRecordingsAndRecordsTheOutcome) {
  testing::TempDir dir;
  ASSERT_EQ(testing::import_random_resnet18(dir.path(), {"sp1", "sp2"}).exit_code, 0);
  // Three 30 s recordings: on one worker the projection comes after two (a minute of audio).
  const auto folder = dir / "audio";
  std::filesystem::create_directories(folder);
  for (int i = 1; i <= 3; ++i)
    audio::write_audio(folder / fmt::format("r{}.flac", i),
                       testing::white_noise(32000, 30.0, 0.05, i), 32000);
  const auto r =
      run_chorus({"--quiet", "predict", folder.string(), "--model", (dir / "m.ckpt").string(),
                  "--out", (dir / "run").string(), "--threads", "1", "--budget", "60"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("budget: measured 2 recordings (60 s of audio)"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("fits"), std::string::npos) << r.err;
  const auto budget = nlohmann::json::parse(testing::read_text(dir / "run/budget.json"));
  EXPECT_EQ(budget["final"], true);
  EXPECT_EQ(budget["measured"]["recordings"], 3);
  EXPECT_DOUBLE_EQ(budget["total_audio_seconds"].get<double>(), 90);
  EXPECT_EQ(budget["members"], 1);
  EXPECT_GT(budget["cost_per_audio_second"]["members"]["m"].get<double>(), 0);
  EXPECT_TRUE(budget["fits"].get<bool>());  // a ResNet-18 on 90 s of audio in an hour
  EXPECT_GE(budget["max_members_within_budget"].get<int>(), 1);

  const auto zero = run_chorus({"predict", folder.string(), "--model", (dir / "m.ckpt").string(),
                                "--out", (dir / "x").string(), "--budget", "0"});
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_NE(zero.err.find("--budget"), std::string::npos) << zero.err;
  // A classifier has no framewise output for SED mode.
  const auto sed = run_chorus({"predict", folder.string(), "--model", (dir / "m.ckpt").string(),
                               "--out", (dir / "x").string(), "--set", "infer.mode=sed"});
  EXPECT_EQ(sed.exit_code, 2);
  EXPECT_NE(sed.err.find("model 'm' gives one output per window"), std::string::npos) << sed.err;
}

}  // namespace
}  // namespace chorus
