// The chorus executable: exit codes, one-line errors, and the files it writes.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "audio/audio_decoder.hpp"
#include "audio/audio_writer.hpp"
#include "core/npy.hpp"
#include "support/signals.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

using testing::run_chorus;

TEST(Cli, VersionAndHelp) {
  const auto version = run_chorus({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("chorus ", 0), 0u) << version.out;
  const auto help = run_chorus({"mel", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--threads"), std::string::npos);
  EXPECT_NE(help.out.find("--png"), std::string::npos);
}

// chorus links no LibTorch (its ~290 libraries cost 0.4–0.8 s before main); the commands that
// run a network are handed to chorus-torch beside it, which answers exactly as chorus would.
std::string loaded_libraries(const std::string& binary) {
  const std::string command = "LD_TRACE_LOADED_OBJECTS=1 '" + binary + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string output;
  char buffer[4096];
  while (pipe && std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
  if (pipe) ::pclose(pipe);
  return output;
}

TEST(Cli, ChorusLoadsNoLibTorchAndHandsNetworkCommandsOver) {
  const std::string libraries = loaded_libraries(CHORUS_BINARY);
  EXPECT_NE(libraries.find("libsndfile"), std::string::npos) << libraries;  // the trace works
  EXPECT_EQ(libraries.find("libtorch"), std::string::npos) << libraries;
  // Nor FFmpeg (22 ms of loading): it comes when the first Ogg Vorbis file is opened.
  EXPECT_EQ(libraries.find("libavcodec"), std::string::npos) << libraries;
  const std::filesystem::path network_program =
      std::filesystem::path(CHORUS_BINARY).parent_path() / "chorus-torch";
  EXPECT_NE(loaded_libraries(network_program.string()).find("libtorch_cpu"), std::string::npos);

  const auto help = run_chorus({"predict", "--help"});
  EXPECT_EQ(help.exit_code, 0) << help.err;
  EXPECT_NE(help.out.find("Usage: chorus predict [OPTIONS] inputs..."), std::string::npos)
      << help.out;
  const auto missing = run_chorus({"--quiet", "predict"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err, "error: inputs is required (run 'chorus predict --help')\n");
  const auto config = run_chorus({"config"});
  EXPECT_EQ(config.exit_code, 0) << config.err;
  EXPECT_NE(config.out.find("[train]"), std::string::npos) << config.out;
}

TEST(Cli, WithoutChorusTorchOnlyTheNetworkCommandsFail) {
  testing::TempDir dir;
  const std::filesystem::path lone = dir / "chorus";
  std::filesystem::copy_file(CHORUS_BINARY, lone);
  audio::write_audio(dir / "tone.wav", testing::sine(32000, 1.0, 1000, 0.5), 32000);
  auto run = [&](const std::string& arguments) {
    const std::string command =
        "'" + lone.string() + "' " + arguments + " >/dev/null 2>'" + (dir / "err").string() + "'";
    const int status = std::system(command.c_str());
    return std::make_pair(WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                          testing::read_text(dir / "err"));
  };
  EXPECT_EQ(run("info '" + (dir / "tone.wav").string() + "'").first, 0);
  const auto [code, err] = run("train data --out model");
  EXPECT_EQ(code, 2);
  EXPECT_EQ(err, "error: " + (dir / "chorus-torch").string() +
                     ": cannot start it (No such file or directory); the commands that run a "
                     "network live in this program, installed beside chorus\n");
  EXPECT_EQ(run("info --model resnet18").first, 2);
}

TEST(Cli, InfoDescribesAFile) {
  testing::TempDir dir;
  audio::write_audio(dir / "tone.flac", testing::sine(44100, 2.0, 1000, 0.5), 44100);
  const auto r = run_chorus({"info", (dir / "tone.flac").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("duration  2.000 s (88200 frames)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rate      44100 Hz"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("peak      -6.0"), std::string::npos) << r.out;  // 0.5 = −6.02 dBFS
  EXPECT_NE(r.out.find("rms       -9.0"), std::string::npos) << r.out;  // 0.5/√2 = −9.03 dBFS
}

// The default features give a 10 s window of 128 mels × 641 frames; parameters and MACs as
// torchvision's efficientnet_b0 with a 1-channel stem and 182 classes counts them (parameters()
// sums to 4 240 114; forward hooks on its convolutions and linear layer: 633 058 560 MACs).
TEST(Cli, InfoDescribesAModel) {
  const auto r = run_chorus({"info", "--model", "efficientnet_b0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("head        classifier.1: Linear 1280 → 182"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("parameters  4.240 M (4.240 M trainable)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("input       [1, 1, 128, 641]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("output      [1, 182]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("compute     0.633 GMAC per window = 1.266 GFLOP"), std::string::npos)
      << r.out;
  const auto wide = run_chorus({"info", "--model", "efficientnet_b0", "--set", "features.n_mels=64",
                                "--set", "infer.context_seconds=5"});
  EXPECT_NE(wide.out.find("input       [1, 1, 64, 321]"), std::string::npos) << wide.out;
  const auto unknown = run_chorus({"info", "--model", "effnet"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("model.arch = 'effnet': unknown (expected one of"), std::string::npos)
      << unknown.err;
}

TEST(Cli, MelWritesTheDefaultLogMelMatrixAndImage) {
  testing::TempDir dir;
  audio::write_audio(dir / "sweep.wav", testing::sine_sweep(48000, 3.0, 200, 12000), 48000);
  const auto r = run_chorus({"mel", (dir / "sweep.wav").string(), "--npy", (dir / "m.npy").string(),
                             "--png", (dir / "m.png").string(), "--threads", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const core::NpyArray m = core::read_npy(dir / "m.npy");
  EXPECT_EQ(m.shape, (std::vector<std::int64_t>{128, 1 + 3 * 32000 / 500}));
  EXPECT_GT(std::filesystem::file_size(dir / "m.png"), 1000u);
}

TEST(Cli, BadInputExitsTwoWithOneLineError) {
  testing::TempDir dir;
  const auto missing =
      run_chorus({"mel", (dir / "none.ogg").string(), "--npy", (dir / "x.npy").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err, "error: " + (dir / "none.ogg").string() + ": no such file\n");
  // --verbose (before or after the command) adds the source location that raised it.
  const auto verbose = run_chorus(
      {"mel", (dir / "none.ogg").string(), "--npy", (dir / "x.npy").string(), "--verbose"});
  EXPECT_EQ(verbose.err.rfind("error: " + (dir / "none.ogg").string() + ": no such file (src/", 0),
            0u)
      << verbose.err;
  EXPECT_EQ(std::count(verbose.err.begin(), verbose.err.end(), '\n'), 1);
  const auto bad_key = run_chorus({"mel", (dir / "none.ogg").string(), "--set", "features.hop=3"});
  EXPECT_EQ(bad_key.exit_code, 2);
  EXPECT_NE(bad_key.err.find("unknown key features.hop"), std::string::npos) << bad_key.err;
  // A value outside the key's declared range is refused where it is read, naming the key, the
  // value and what the key accepts, before any work.
  const auto out_of_range = run_chorus({"mel", (dir / "none.ogg").string(), "--npy",
                                        (dir / "x.npy").string(), "--set", "features.n_fft=8"});
  EXPECT_EQ(out_of_range.exit_code, 2);
  EXPECT_EQ(out_of_range.err.rfind("error: --set: features.n_fft = 8: expected 16..65536", 0), 0u)
      << out_of_range.err;
  const auto usage = run_chorus({"mel"});
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_EQ(usage.err.rfind("error: ", 0), 0u) << usage.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "x.npy"));
}

TEST(Cli, DemoDefaultsToOneThreadAndPassesSetAndQuietToItsSteps) {
  testing::TempDir dir;
  // A key no section has: the training step, which reads every section, refuses it, so the demo
  // stops there after synthesising its data (a few seconds).
  const auto r =
      run_chorus({"demo", "--out", (dir / "demo").string(), "--set", "train.no_such_key=1", "--set",
                  "postprocess.threshold=0.4", "--quiet"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--threads 1 --set train.seed=42 --set train.no_such_key=1 --set "
                       "postprocess.threshold=0.4 --quiet\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.err.find("unknown key train.no_such_key"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("files"), std::string::npos) << r.err;  // no progress lines
}

TEST(Cli, SegmentsCutTheBestDetectionsOfEachClass) {
  testing::TempDir dir;
  const std::string rec = (dir / "rec.wav").string(), missing = (dir / "missing.wav").string();
  audio::write_audio(rec, testing::sine(22050, 10.0, 1000, 0.3), 22050);
  const auto table =
      testing::write_text(dir / "detections.csv",
                          "recording,class,start_s,end_s,score\n" + rec + ",a,0.000,1.000,0.9\n" +
                              rec + ",a,4.000,5.000,0.5\n" + rec + ",a,8.000,9.500,0.7\n" + rec +
                              ",b,2.000,3.000,0.6\n" + missing + ",b,1.000,2.000,0.8\n");
  const std::string out = (dir / "clips").string();
  const auto r = run_chorus({"segments", table.string(), "--out", out, "--max-per-species", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("3 clips of 4 written"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("missing.wav"), std::string::npos) << r.err;  // the others go on
  // The two best of class a with a second of padding, clipped to the recording, at its own rate.
  const auto seconds = [&](const std::string& clip) {
    const auto info = audio::open_audio(dir / "clips" / clip)->info();
    EXPECT_EQ(info.sample_rate, 22050) << clip;
    return info.duration_seconds();
  };
  EXPECT_DOUBLE_EQ(seconds("a/0.900_rec_0.0-2.0s.wav"), 2.0);
  EXPECT_DOUBLE_EQ(seconds("a/0.700_rec_7.0-10.0s.wav"), 3.0);
  EXPECT_DOUBLE_EQ(seconds("b/0.600_rec_1.0-4.0s.wav"), 3.0);
  EXPECT_FALSE(std::filesystem::exists(dir / "clips/a/0.500_rec_3.0-6.0s.wav"));
  const std::string listed = testing::read_text(dir / "clips/segments.csv");
  EXPECT_EQ(std::count(listed.begin(), listed.end(), '\n'), 1 + 3) << listed;

  // A rerun replaces the earlier clips; --padding and --min-conf act.
  const auto again = run_chorus(
      {"segments", table.string(), "--out", out, "--padding", "0", "--min-conf", "0.65"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_DOUBLE_EQ(seconds("a/0.900_rec_0.0-1.0s.wav"), 1.0);
  EXPECT_DOUBLE_EQ(seconds("a/0.700_rec_8.0-9.5s.wav"), 1.5);
  for (const char* stale : {"a/0.900_rec_0.0-2.0s.wav", "b/0.600_rec_1.0-4.0s.wav"})
    EXPECT_FALSE(std::filesystem::exists(dir / "clips" / stale)) << stale;
  EXPECT_EQ(run_chorus({"segments", table.string(), "--out", out, "--min-conf", "2"}).exit_code, 2);
}

TEST(Cli, SynthWritesADatasetAndRejectsBadArguments) {
  testing::TempDir dir;
  const std::string out = (dir / "synth").string();
  const auto r = run_chorus({"--quiet", "synth", "--out", out, "--species", "2", "--seed", "3",
                             "--clips-per-species", "1", "--soundscapes", "1", "--threads", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2 species, 2 clips"), std::string::npos) << r.out;
  for (const char* file : {"train_metadata.csv", "taxonomy.csv", "soundscape_labels.csv",
                           "soundscape_events.csv", "train_audio/sp01/sp01_0000.ogg",
                           "train_audio/sp02/sp02_0000.ogg", "soundscapes/soundscape_00.ogg"})
    EXPECT_TRUE(std::filesystem::exists(dir / "synth" / file)) << file;
  EXPECT_EQ(r.err, "");

  const auto no_species = run_chorus({"synth", "--out", out, "--species", "0"});
  EXPECT_EQ(no_species.exit_code, 2);
  EXPECT_EQ(no_species.err, "error: --species 0 must be 1 to 999\n");
  std::ofstream(dir / "file") << "x";
  const auto unwritable = run_chorus({"synth", "--out", (dir / "file" / "out").string()});
  EXPECT_EQ(unwritable.exit_code, 2);
  EXPECT_NE(unwritable.err.find("cannot create the output directory"), std::string::npos)
      << unwritable.err;
  const auto missing_out = run_chorus({"synth"});
  EXPECT_EQ(missing_out.exit_code, 2);
  EXPECT_NE(missing_out.err.find("--out is required"), std::string::npos) << missing_out.err;
}

TEST(Cli, InfoReportsEveryBadFileAndFails) {
  testing::TempDir dir;
  audio::write_audio(dir / "good.wav", testing::sine(32000, 1.0, 500), 32000);
  std::ofstream(dir / "bad.wav") << "garbage";
  const auto r = run_chorus({"info", (dir / "good.wav").string(), (dir / "bad.wav").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("good.wav"), std::string::npos);
  EXPECT_NE(r.err.find("bad.wav: unsupported or unrecognised audio format"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("1 of 2 files could not be read"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace chorus

namespace chorus {
namespace {

TEST(Cli, ConfigReferenceInDocsIsCurrent) {
  const auto r = run_chorus({"config", "--markdown"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string docs = testing::read_text(std::string(CHORUS_SOURCE_DIR) + "/docs/config.md");
  EXPECT_NE(docs.find(r.out), std::string::npos)
      << "docs/config.md is stale: paste the output of `chorus config --markdown` into it";
}

TEST(Cli, PrintedDefaultConfigLoadsBack) {
  testing::TempDir dir;
  const auto r = run_chorus({"config"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ofstream(dir / "defaults.toml") << r.out;
  const auto loaded =
      run_chorus({"mel", "x.wav", "--config", (dir / "defaults.toml").string(), "--print-config"});
  EXPECT_EQ(loaded.exit_code, 2);  // x.wav does not exist, but the config parsed and printed
  EXPECT_NE(loaded.out.find("n_fft = 1024"), std::string::npos) << loaded.out << loaded.err;
  EXPECT_NE(loaded.err.find("x.wav: no such file"), std::string::npos) << loaded.err;
}

}  // namespace
}  // namespace chorus

namespace chorus {
namespace {

// A small dataset in BirdCLEF layout: three species, two clips each, one clip copied under a
// second name (an exact duplicate) and one very loud clip.
std::filesystem::path make_dataset(const testing::TempDir& dir) {
  const auto root = dir / "dataset";
  std::string table = "primary_label,secondary_labels,filename,rating\n";
  const char* species[] = {"sp1", "sp2", "sp3"};
  for (int s = 0; s < 3; ++s) {
    std::filesystem::create_directories(root / "train_audio" / species[s]);
    for (int c = 0; c < 2; ++c) {
      const std::string name = fmt::format("{}/{}_{}.ogg", species[s], species[s], c);
      audio::write_audio(
          root / "train_audio" / name,
          testing::sine_sweep(32000, 3.0, 300.0 * (s + 1), 2000.0 * (s + 1) + 100 * c, 0.2), 32000);
      table += fmt::format("{},[],{},4.0\n", species[s], name);
    }
  }
  std::filesystem::copy_file(root / "train_audio/sp1/sp1_0.ogg",
                             root / "train_audio/sp1/sp1_copy.ogg");
  table += "sp1,['sp2'],sp1/sp1_copy.ogg,3.5\n";
  audio::write_audio(root / "train_audio/sp2/sp2_loud.ogg",
                     testing::white_noise(32000, 3.0, 0.4, 3), 32000);
  table += "sp2,[],sp2/sp2_loud.ogg,1.0\n";
  std::ofstream(root / "train_metadata.csv") << table;
  return root;
}

TEST(Cli, PrepareCachesThenReuses) {
  testing::TempDir dir;
  const auto root = make_dataset(dir);
  // The copied clip has the same content as its original: one entry serves both.
  const auto first =
      run_chorus({"--quiet", "prepare", root.string(), "--cache", (dir / "cache").string()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("8 files (24 s of audio): 7 computed, 1 already cached, 0 failed"),
            std::string::npos)
      << first.out;
  const auto second = run_chorus(
      {"--quiet", "prepare", root.string(), "--cache", (dir / "cache").string(), "--threads", "2"});
  EXPECT_NE(second.out.find("0 computed, 8 already cached"), std::string::npos) << second.out;
  const auto other_hop = run_chorus({"--quiet", "prepare", root.string(), "--cache",
                                     (dir / "cache").string(), "--set", "features.hop_length=320"});
  EXPECT_NE(other_hop.out.find("7 computed, 1 already cached"), std::string::npos) << other_hop.out;
}

TEST(Cli, FoldsAndCleanWriteTheirTables) {
  testing::TempDir dir;
  const auto root = make_dataset(dir);
  const auto folds = run_chorus({"folds", (root / "train_metadata.csv").string(), "--k", "2",
                                 "--out", (dir / "folds.csv").string()});
  ASSERT_EQ(folds.exit_code, 0) << folds.err;
  EXPECT_NE(testing::read_text(dir / "folds.csv")
                .find("primary_label,secondary_labels,filename,rating,fold\n"),
            std::string::npos);
  const auto clean =
      run_chorus({"--quiet", "clean", root.string(), "--out", (dir / "report").string()});
  ASSERT_EQ(clean.exit_code, 0) << clean.err;
  const std::string report = testing::read_text(dir / "report/clean_report.csv");
  const auto copy_line = report.substr(report.find("sp1/sp1_copy.ogg"));
  EXPECT_NE(copy_line.substr(0, copy_line.find('\n')).find(",0,sp1/sp1_0.ogg,1,exact duplicate"),
            std::string::npos)
      << report;
  const std::string kept = testing::read_text(dir / "report/train_metadata.csv");
  EXPECT_EQ(kept.find("sp1_copy.ogg"), std::string::npos) << kept;
  EXPECT_EQ(kept.find("sp2_loud.ogg"), std::string::npos) << kept;
  EXPECT_NE(kept.find("sp3/sp3_1.ogg"), std::string::npos) << kept;
  // The inputs are untouched.
  EXPECT_NE(testing::read_text(root / "train_metadata.csv").find("sp1_copy.ogg"),
            std::string::npos);
}

TEST(Cli, DatasetErrorsNameTheLine) {
  testing::TempDir dir;
  const auto root = make_dataset(dir);
  std::ofstream(root / "train_metadata.csv", std::ios::app) << "sp3,[],../../etc/passwd,1\n";
  const auto r = run_chorus({"prepare", root.string(), "--cache", (dir / "cache").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("train_metadata.csv:10:"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace chorus
