// The bad-input suite (issue #17), through the executable as a user meets it: each hostile input
// is made here at test time and must end in exit status 2 with one `error:` line naming the
// problem (or, where the input is only unwise, a warning and a run that goes on) — never an
// internal error, a signal, or a half-written output.

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "models/checkpoint.hpp"
#include "models/safetensors.hpp"
#include "robustness/bad_input_fixture.hpp"

namespace chorus::testing {
namespace {

// An ensemble expression naming no loaded model is refused before anything is scored (it used
// to exit 0 with every recording in errors.csv).
TEST_F(BadInput, AnEnsembleNamingNoModel) {
  const auto r = run_chorus({"predict", recording().string(), "--model", model(), "--ensemble",
                             "mean(zzz)", "--out", (dir() / "out").string()});
  expect_one_line_error(r, "ensemble: no member matches 'zzz'");
  EXPECT_FALSE(fs::exists(dir() / "out/submission.csv"));
}

// A checkpoint whose stored inference program cannot run on the windows (its max-pool window
// larger than the feature map) failed each recording with oneDNN's words and no file named.
TEST_F(BadInput, AStoredProgramThatCannotRunOnTheWindowsNamesItsCheckpoint) {
  models::SafetensorsFile file = models::read_safetensors(model());
  nlohmann::json meta = nlohmann::json::parse(file.metadata.at("chorus"));
  for (nlohmann::json& step : meta.at("inference").at("backbone").at("steps"))
    if (step.at("op") == "max_pool") step["kernel"] = 4096;
  file.metadata["chorus"] = meta.dump();
  const std::string hostile = (dir() / "pool.ckpt").string();
  models::write_safetensors(hostile, file.tensors, file.metadata);
  const auto r = run_chorus({"--quiet", "predict", recording().string(), "--model", hostile,
                             "--out", (dir() / "out").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  const std::string errors = read_text(dir() / "out/errors.csv");
  EXPECT_NE(errors.find(hostile + ": inference graph: input 1 x 64 x 64 x 321 is smaller than a "
                                  "4096x4096 pooling window"),
            std::string::npos)
      << errors;
}

// --threads 100000 used to start threads until the machine gave up; it is capped and said so.
TEST_F(BadInput, AHugeThreadCountIsCapped) {
  const auto r = run_chorus({"--quiet", "predict", recording().string(), "--model", model(),
                             "--threads", "100000", "--out", (dir() / "out").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: --threads 100000: capped at"), std::string::npos) << r.err;
  expect_one_line_error(run_chorus({"predict", recording().string(), "--model", model(),
                                    "--threads", "-2", "--out", (dir() / "neg").string()}),
                        "--threads");
}

// Numbers that mean nothing are refused by the option that takes them, saying what it expects
// (not CLI11's "not in range 0.000000 to" and a 309-digit bound).
TEST_F(BadInput, NegativeOrZeroCountsAndLengths) {
  expect_one_line_error(run_chorus({"mel", recording().string(), "--duration", "-3", "--npy",
                                    (dir() / "x.npy").string()}),
                        "--duration: '-3': expected a positive number");
  EXPECT_FALSE(fs::exists(dir() / "x.npy"));
  const std::string set = (dir() / "set").string();
  expect_one_line_error(run_chorus({"train", dir().string(), "--world-size", "0", "--out", set}),
                        "--world-size: '0': expected a positive number");
  expect_one_line_error(run_chorus({"train", dir().string(), "--stop-after", "-1", "--out", set}),
                        "--stop-after");
  expect_one_line_error(run_chorus({"train", dir().string(), "--rank", "-1", "--out", set}),
                        "--rank");
  EXPECT_FALSE(fs::exists(set));
}

// A checkpoint whose class list repeats a name, or has empty names, would write submissions with
// headers `row_id,a,a` or `row_id,,`: it is refused where it is read.
TEST_F(BadInput, ACheckpointWithRepeatedOrEmptyClassNames) {
  const auto write = [&](const std::string& name, std::vector<std::string> classes) {
    models::Checkpoint c = models::Checkpoint::read(model());
    c.classes = std::move(classes);
    c.write(dir() / name);
    return (dir() / name).string();
  };
  expect_one_line_error(run_chorus({"info", "--model", write("dup.ckpt", {"a", "a"})}),
                        "duplicate class 'a' (positions 1 and 2)");
  expect_one_line_error(
      run_chorus({"predict", recording().string(), "--model", write("empty.ckpt", {"", ""}),
                  "--out", (dir() / "out").string()}),
      "empty.ckpt (class list)");
  EXPECT_FALSE(fs::exists(dir() / "out/submission.csv"));
}

// chorus merge passed NaN and inf score cells into the merged submission.
TEST_F(BadInput, ANonFiniteScoreInAShardsSubmission) {
  const fs::path a = write_text(dir() / "a.csv", "row_id,sp1,sp2\nrec_5,0.1,0.2\n");
  const fs::path b = write_text(dir() / "b.csv", "row_id,sp1,sp2\nrec2_5,nan,0.2\n");
  const auto r =
      run_chorus({"merge", a.string(), b.string(), "--out", (dir() / "merged.csv").string()});
  expect_one_line_error(r, "b.csv:2: column 'sp1': 'nan' is not a finite number");
  EXPECT_FALSE(fs::exists(dir() / "merged.csv"));
}

}  // namespace
}  // namespace chorus::testing
