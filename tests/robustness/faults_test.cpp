// Faults a run meets beyond one bad file (issue #17): a model that diverged, settings that ask
// for unbounded work, a training set of which nothing loads, runs killed (predict between its
// parts, training between an epoch's checkpoints and its saved state) and a full disk.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mount.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "e2e/tiny_set.hpp"
#include "models/checkpoint.hpp"
#include "robustness/bad_input_fixture.hpp"

namespace chorus::testing {
namespace {

// A checkpoint with a NaN weight scored every recording NaN, and the run then died reading its
// own parts back ("damaged prediction part (…null)"). It is refused where it is read.
TEST_F(BadInput, ACheckpointWithNanWeightsIsRefusedOnRead) {
  models::Checkpoint c = models::Checkpoint::read(model());
  c.weights.at("fc.bias")[0] = std::numeric_limits<float>::quiet_NaN();
  c.write(dir() / "nan.ckpt");
  expect_one_line_error(
      run_chorus({"predict", recording().string(), "--model", (dir() / "nan.ckpt").string(),
                  "--out", (dir() / "out").string()}),
      "nan.ckpt: weight 'fc.bias' holds NaN or infinite values");
  EXPECT_FALSE(fs::exists(dir() / "out/submission.csv"));
}

// infer.context_seconds = 1e6 was an internal error (std::bad_alloc); chunks and hops of
// milliseconds ran for minutes on a minute of audio; a spectrogram hop of one sample, 100000
// loader threads or batches of a billion clips had no bound either. Each has a range.
TEST_F(BadInput, SettingsThatAskForUnboundedWork) {
  const auto predict = [&](const std::string& setting) {
    return run_chorus({"predict", recording().string(), "--model", model(), "--set", setting,
                       "--out", (dir() / "out").string()});
  };
  expect_one_line_error(predict("infer.context_seconds=1000000"), "infer.context_seconds");
  expect_one_line_error(predict("infer.chunk_seconds=0.001"), "infer.chunk_seconds");
  expect_one_line_error(predict("infer.hop_seconds=0.0001"), "infer.hop_seconds");
  expect_one_line_error(predict("infer.window_seconds=1000"), "infer.window_seconds");
  expect_one_line_error(predict("infer.batch_size=100000000"), "infer.batch_size");
  expect_one_line_error(run_chorus({"mel", recording().string(), "--set", "features.hop_length=1",
                                    "--npy", (dir() / "x.npy").string()}),
                        "features.hop_length = 1: expected ≥ sample_rate / 1000 (32;");
  for (const char* setting : {"train.workers=100000", "train.batch_size=1000000000"})
    expect_one_line_error(
        run_chorus({"train", dir().string(), "--set", setting, "--out", (dir() / "run").string()}),
        std::string(setting).substr(0, std::string(setting).find('=')));
  EXPECT_FALSE(fs::exists(dir() / "run"));
}

// Training where no recording decodes ran 0 steps, wrote checkpoints of untrained weights and then
// failed drawing its curves. It stops in the first epoch, before any checkpoint, saying why.
TEST(BadTraining, NoRecordingLoads) {
  TinySet t;
  for (const auto& entry : fs::recursive_directory_iterator(t.set + "/train_audio"))
    if (entry.is_regular_file()) write_text(entry.path(), "not audio");
  const std::string out = (t.dir / "run").string();
  const auto r = run_chorus({"--quiet", "train", t.set, "--config", t.config, "--out", out});
  expect_one_line_error(r,
                        "no training batch could be made: 12 of the 12 recordings failed to "
                        "load; first: ");
  EXPECT_FALSE(fs::exists(out + "/last.ckpt"));
}

// A run killed after an epoch's checkpoints and log but before its training state (the end of
// the first epoch) said "no training state to resume from" on --resume, and the temporary file
// the kill interrupted stayed for good. Here the kill's leftovers are made as the kill leaves
// them: the state removed, a temporary of a process that no longer runs (pids never reach
// 4194305, Linux's limit) beside the outputs.
TEST(BadTraining, AKillBeforeTheFirstStateIsSavedStartsOverOnResume) {
  TinySet t;
  const std::string out = (t.dir / "run").string();
  ASSERT_EQ(run_chorus({"--quiet", "train", t.set, "--config", t.config, "--out", out, "--set",
                        "train.epochs=1"})
                .exit_code,
            0);
  fs::remove(out + "/train_state.safetensors");
  const fs::path stale = write_text(out + "/.training_curves.png.tmp-4194305", "half a png");
  const auto r = run_chorus({"--quiet", "train", t.set, "--config", t.config, "--out", out, "--set",
                             "train.epochs=1", "--resume"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("no training state to resume from (the run stopped before its first "
                       "epoch was saved); starting from epoch 1"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(out + "/train_state.safetensors"));
  const std::string log = read_text(out + "/train_log.jsonl");
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1) << log;
}

// Starts chorus with `args` (output discarded) and returns its pid.
pid_t spawn_chorus(const std::vector<std::string>& args) {
  std::vector<std::string> all = {CHORUS_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  EXPECT_EQ(::posix_spawn(&pid, CHORUS_BINARY, &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

// A predict run killed (SIGKILL) once some recordings are scored and others not resumes to the
// submission an unbroken run writes, byte for byte.
TEST_F(BadInput, APredictRunKilledBetweenPartsResumes) {
  const fs::path folder = dir() / "recordings";
  fs::create_directories(folder);
  for (int i = 0; i < 24; ++i)
    audio::write_audio(folder / fmt::format("r{:02}.wav", i),
                       white_noise(32000, 10.0, 0.1, static_cast<unsigned>(i + 2)), 32000);
  const std::vector<std::string> predict = {
      "--quiet", "predict", folder.string(), "--model", model(), "--threads", "1"};
  const auto with_out = [&](const fs::path& out, bool resume) {
    std::vector<std::string> args = predict;
    args.insert(args.end(), {"--out", out.string()});
    if (resume) args.push_back("--resume");
    return args;
  };
  ASSERT_EQ(run_chorus(with_out(dir() / "whole", false)).exit_code, 0);

  const fs::path killed = dir() / "killed";
  const pid_t pid = spawn_chorus(with_out(killed, false));
  const auto parts = [&] {
    std::size_t n = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(killed / "parts", ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      n += it->path().extension() == ".json";
    return n;
  };
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (parts() < 3 && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run ended before it was killed";
  EXPECT_FALSE(fs::exists(killed / "submission.csv"));

  const auto resumed = run_chorus(with_out(killed, true));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(read_text(killed / "submission.csv"), read_text(dir() / "whole/submission.csv"));
  EXPECT_EQ(read_text(killed / "detections.csv"), read_text(dir() / "whole/detections.csv"));
}

// A full disk: the run stops with the file it could not write, and leaves no temporary behind.
// Needs a small tmpfs, which only root (CAP_SYS_ADMIN) can mount; skipped elsewhere.
TEST_F(BadInput, AFullDiskStopsTheRunNamingTheFile) {
  const fs::path small = dir() / "small";
  fs::create_directories(small);
  if (::mount("tmpfs", small.c_str(), "tmpfs", 0, "size=16k") != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here (needs CAP_SYS_ADMIN): " << std::strerror(errno);
  const auto r = run_chorus({"mel", recording().string(), "--npy", (small / "m.npy").string()});
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(small))
    left.push_back(entry.path().filename().string());
  ::umount(small.c_str());
  expect_one_line_error(r, "m.npy");
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
  EXPECT_TRUE(left.empty()) << left.front();
}

}  // namespace
}  // namespace chorus::testing
