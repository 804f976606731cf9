// chorus selftrain end to end on a tiny synthetic set: each round's models and tables, the next
// round trained on the previous round's labels, the summary; and a run killed inside a round
// that resumes to the same result as the uninterrupted one.

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <set>
#include <thread>

#include "e2e/tiny_set.hpp"
#include "formats/csv_table.hpp"
#include "formats/pseudo_table.hpp"
#include "support/test_support.hpp"

extern char** environ;

namespace chorus {
namespace {

using testing::run_chorus;

// The tiny set with two folds.
struct SelftrainSet : testing::TinySet {
  std::string folds = (dir / "folds.csv").string();
  SelftrainSet() {
    EXPECT_EQ(
        run_chorus({"folds", set + "/train_metadata.csv", "--out", folds, "--k", "2"}).exit_code,
        0);
  }
  std::vector<std::string> args(const std::string& out, int rounds) const {
    return {"--quiet", "selftrain", set, "--unlabeled", set + "/soundscapes", "--rounds",
            std::to_string(rounds), "--fold", "1", "--metadata", folds, "--config", config, "--out",
            (dir / out).string(),
            // A training key: the labelling steps, which read no [train], must not see it.
            "--set", "train.seed=3"};
  }
};

// The columns of rounds.csv that do not depend on timing.
std::vector<std::string> scores(const std::filesystem::path& rounds_csv) {
  const formats::CsvTable t = formats::CsvTable::read(rounds_csv);
  std::vector<std::string> out;
  for (std::size_t r = 0; r < t.rows(); ++r)
    out.push_back(t.at(r, t.column("round")) + " " + t.at(r, t.column("score")) + " " +
                  t.at(r, t.column("pseudo_chunks")));
  return out;
}

TEST(Selftrain, RoundsTrainOnThePreviousRoundsLabelsAndResumeAfterAKill) {
  const SelftrainSet s;
  // Every round runs, whatever the scores.
  const auto args = [&](const std::string& out) {
    std::vector<std::string> a = s.args(out, 2);
    a.insert(a.end(), {"--patience", "9"});
    return a;
  };
  const auto whole = run_chorus(args("whole"));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const std::filesystem::path w = s.dir / "whole";
  for (const char* file : {"round_0/best.ckpt", "round_0/pseudo.csv", "round_1/best.ckpt",
                           "round_1/pseudo.csv", "round_2/best.ckpt", "rounds.csv", "rounds.png"})
    EXPECT_TRUE(std::filesystem::exists(w / file)) << file;
  EXPECT_FALSE(std::filesystem::exists(w / "round_2/pseudo.csv"));  // the last round labels nothing
  // Round 1's students read round 0's labels.
  EXPECT_NE(testing::read_text(w / "round_1/config.toml")
                .find("pseudo_labels = \"" + (w / "round_0/pseudo.csv").string() + "\""),
            std::string::npos);
  const std::vector<std::string> expected = scores(w / "rounds.csv");
  ASSERT_EQ(expected.size(), 3u);
  EXPECT_EQ(expected[0].substr(0, 2), "0 ");
  EXPECT_EQ(expected[0].substr(expected[0].rfind(' ')), " 20");  // 60 s soundscape, 3 s chunks

  // Again into the same folder: refused without --resume.
  const auto again = run_chorus(args("whole"));
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("already holds self-training rounds"), std::string::npos) << again.err;

  // Killed while round 1 trains, then resumed: the same scores and labels.
  const std::filesystem::path k = s.dir / "killed";
  std::vector<std::string> killed = args("killed");
  killed.insert(killed.begin(), CHORUS_BINARY);
  std::vector<char*> argv;
  for (std::string& a : killed) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&files, 2, "/dev/null", O_WRONLY, 0);
  ASSERT_EQ(posix_spawn(&pid, CHORUS_BINARY, &files, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&files);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (!std::filesystem::exists(k / "round_1/train_log.jsonl") &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_FALSE(std::filesystem::exists(k / "round_2"));
  std::vector<std::string> resume = args("killed");
  resume.push_back("--resume");
  const auto resumed = run_chorus(resume);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(scores(k / "rounds.csv"), expected);
  for (const char* table : {"round_0/pseudo.csv", "round_1/pseudo.csv"}) {
    const auto a = formats::read_pseudo_table(w / table), b = formats::read_pseudo_table(k / table);
    ASSERT_EQ(a.rows.size(), b.rows.size()) << table;
    for (std::size_t r = 0; r < a.rows.size(); ++r)
      EXPECT_EQ(a.rows[r].probabilities, b.rows[r].probabilities) << table << " row " << r;
  }
}

// --all-folds: a model per fold, the clips labelled out of fold as the next round's teacher, the
// feature cache filled once for every round; --patience stops the rounds by the rule, whatever
// the scores came out as.
TEST(Selftrain, AllFoldsTeacherCacheAndPatience) {
  const SelftrainSet s;
  std::vector<std::string> args = s.args("folds", 3);
  args.erase(args.begin() + 7, args.begin() + 9);  // --fold 1
  for (const std::string& a :
       std::vector<std::string>{"--all-folds", "--patience", "1", "--cache",
                                (s.dir / "cache").string(), "--threads", "2"})
    args.push_back(a);
  const auto r = run_chorus(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::filesystem::path out = s.dir / "folds";
  for (const char* file : {"round_0/fold0/best.ckpt", "round_0/fold1/best.ckpt",
                           "round_0/pseudo.csv", "round_0/teacher.csv", "round_1/fold1/best.ckpt"})
    EXPECT_TRUE(std::filesystem::exists(out / file)) << file;
  EXPECT_NE(testing::read_text(out / "round_1/fold0/config.toml")
                .find("teacher = \"" + (out / "round_0/teacher.csv").string() + "\""),
            std::string::npos);
  // Every training clip is labelled out of fold (clips of 7–15 s in 3 s chunks: several each).
  const auto teacher = formats::read_pseudo_table(out / "round_0/teacher.csv");
  std::set<std::string> clips;
  for (const auto& row : teacher.rows) clips.insert(row.recording);
  EXPECT_EQ(clips.size(), 12u);
  EXPECT_FALSE(std::filesystem::is_empty(s.dir / "cache"));
  // After round r ≥ 1 whose score is not above the best before it, no round follows.
  const formats::CsvTable rounds = formats::CsvTable::read(out / "rounds.csv");
  const auto score = [&](std::size_t k) { return rounds.number(k, rounds.column("score")); };
  std::size_t expected = 4;  // rounds 0–3
  double best = score(0);
  for (std::size_t k = 1; k < std::min<std::size_t>(rounds.rows(), 4); ++k) {
    if (!(score(k) > best)) {  // roc_auc: higher is better
      expected = k + 1;
      break;
    }
    best = score(k);
  }
  EXPECT_EQ(rounds.rows(), expected) << r.out;
  EXPECT_EQ(r.out.find("stopped: no improvement") != std::string::npos, rounds.rows() < 4) << r.out;
}

// Without validation nothing judges the rounds: every one runs, and there is no chart.
TEST(Selftrain, WithoutValidationEveryRoundRuns) {
  const SelftrainSet s;
  std::vector<std::string> args = s.args("plain", 1);
  args.erase(args.begin() + 7, args.begin() + 9);  // --fold 1
  const auto r = run_chorus(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(formats::CsvTable::read(s.dir / "plain/rounds.csv").rows(), 2u);
  EXPECT_FALSE(std::filesystem::exists(s.dir / "plain/rounds.png"));
  EXPECT_NE(r.out.find("last: round 1 → "), std::string::npos) << r.out;
}

// --student-set reaches the students alone, and --student-init teacher starts each from its
// teacher's folder (train.init_from); a bad --student-set is refused before round 0 trains.
TEST(Selftrain, StudentSettingsReachOnlyTheStudents) {
  const SelftrainSet s;
  std::vector<std::string> args = s.args("tuned", 1);
  args.insert(args.end(), {"--student-init", "teacher", "--student-set", "train.epochs=1"});
  const auto r = run_chorus(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::filesystem::path out = s.dir / "tuned";
  const std::string teacher = testing::read_text(out / "round_0/config.toml"),
                    student = testing::read_text(out / "round_1/config.toml");
  EXPECT_NE(teacher.find("epochs = 2\n"), std::string::npos);
  EXPECT_NE(teacher.find("init_from = \"\"\n"), std::string::npos);
  EXPECT_NE(student.find("epochs = 1\n"), std::string::npos);
  EXPECT_NE(student.find("init_from = \"" + (out / "round_0").string() + "\"\n"), std::string::npos)
      << student;
  // Both held out fold 1: no caution about the validation.
  EXPECT_NE(r.out.find("starting from " + (out / "round_0/best.ckpt").string()), std::string::npos)
      << r.out;
  EXPECT_EQ(r.err.find("optimistic"), std::string::npos) << r.err;

  std::vector<std::string> bad = s.args("bad", 1);
  bad.insert(bad.end(), {"--student-set", "train.epoch=1"});
  const auto refused = run_chorus(bad);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("epoch"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(s.dir / "bad/round_0"));
}

TEST(Selftrain, ClearErrors) {
  const SelftrainSet s;
  std::vector<std::string> both = s.args("x", 1);
  both.push_back("--all-folds");
  const auto r = run_chorus(both);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--fold and --all-folds exclude each other"), std::string::npos) << r.err;
  // int8 labelling needs calibrated models, which a round's fresh models are not: refused before
  // round 0 trains.
  std::vector<std::string> int8 = s.args("int8", 1);
  int8.insert(int8.end(), {"--set", "infer.precision=\"int8\""});
  const auto refused = run_chorus(int8);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("infer.precision = int8: self-training labels with the models"),
            std::string::npos)
      << refused.err;
  EXPECT_FALSE(std::filesystem::exists(s.dir / "int8/round_0"));
}

}  // namespace
}  // namespace chorus
