// chorus predict as a field user runs it (issue #16): the everyday controls (--min-conf,
// --species-list, --top-n, --overlap, --merge-consecutive), species names in the Raven and
// Kaleidoscope outputs (--taxonomy, or the checkpoint's), recorder folders whose files share
// names, an MP3 without a length tag and a 2-channel file, safe --resume, reruns into the same
// folder, and the wording and exit status of a run; --precision (bf16, and int8 after chorus
// calibrate). All through the executable.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include "audio/audio_writer.hpp"
#include "e2e/random_checkpoint.hpp"
#include "formats/csv_table.hpp"
#include "formats/raven_table.hpp"
#include "formats/score_table.hpp"
#include "support/signals.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

namespace fs = std::filesystem;
using testing::run_chorus;

// A random ResNet-18 over three classes and two recordings (each test its own: a failing set-up
// fails the test).
class PredictControls : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(testing::import_random_resnet18(dir(), {"sp1", "sp2", "sp3"}).exit_code, 0);
    fs::create_directories(audio());
    audio::write_audio(audio() / "s1.ogg", testing::white_noise(32000, 12.0, 0.1, 1), 32000);
    // 10.13 s: two chunks, no third for the last 0.13 s.
    audio::write_audio(audio() / "tail.flac", testing::white_noise(32000, 10.13, 0.1, 2), 32000);
  }

  fs::path dir() const { return dir_.path(); }
  fs::path audio() const { return dir() / "audio"; }
  std::string model() const { return (dir() / "m.ckpt").string(); }

  // chorus predict AUDIO --model m.ckpt --out OUT extra…
  testing::CommandResult predict(const std::string& out, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--quiet", "predict", audio().string(),      "--model",
                                     model(),   "--out",   (dir() / out).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_chorus(args);
  }

  testing::TempDir dir_;
};

// The data rows of a CSV file.
std::vector<std::string> rows_of(const fs::path& csv) {
  std::istringstream in(testing::read_text(csv));
  std::vector<std::string> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) rows.push_back(line);
  return rows;
}

TEST_F(PredictControls, AShortTailGetsNoRowAndOverlapAddsRows) {
  const auto plain = predict("plain");
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const formats::ScoreTable sub = formats::read_score_table(dir() / "plain/submission.csv");
  EXPECT_EQ(sub.row_ids, (std::vector<std::string>{"s1_5", "s1_10", "s1_15", "tail_5", "tail_10"}));
  // infer.min_last_chunk_seconds = 0 keeps every partial chunk; 2.5 drops s1's 2 s tail too.
  const auto every = predict("every", {"--set", "infer.min_last_chunk_seconds=0"});
  ASSERT_EQ(every.exit_code, 0) << every.err;
  EXPECT_EQ(formats::read_score_table(dir() / "every/submission.csv").row_ids.back(), "tail_15");
  ASSERT_EQ(predict("strict", {"--set", "infer.min_last_chunk_seconds=2.5"}).exit_code, 0);
  EXPECT_EQ(formats::read_score_table(dir() / "strict/submission.csv").row_ids,
            (std::vector<std::string>{"s1_5", "s1_10", "tail_5", "tail_10"}));

  const auto overlapped = predict("overlap", {"--overlap", "2.5"});
  ASSERT_EQ(overlapped.exit_code, 0) << overlapped.err;
  // 12 s in 5 s chunks every 2.5 s: starts 0, 2.5, 5, 7.5, 10 (the last holds 2 s of audio).
  const auto ids = formats::read_score_table(dir() / "overlap/submission.csv").row_ids;
  EXPECT_EQ(std::vector<std::string>(ids.begin(), ids.begin() + 5),
            (std::vector<std::string>{"s1_5", "s1_7.5", "s1_10", "s1_12.5", "s1_15"}));
  const auto too_much = predict("x", {"--overlap", "5"});
  EXPECT_EQ(too_much.exit_code, 2);
  EXPECT_NE(too_much.err.find("infer.overlap_seconds = 5: expected < chunk_seconds"),
            std::string::npos)
      << too_much.err;
}

TEST_F(PredictControls, MinConfTopNAndMergeConsecutiveShapeTheDetections) {
  ASSERT_EQ(predict("all", {"--min-conf", "0"}).exit_code, 0);
  const formats::ScoreTable sub = formats::read_score_table(dir() / "all/submission.csv");
  // Threshold 0, each chunk its own detection (merge_consecutive 1): every cell is one.
  EXPECT_EQ(rows_of(dir() / "all/detections.csv").size(), 5u * 3u);

  // --min-conf at the median score: the cells at or above it (within the 6 printed digits).
  const std::vector<double>& scores = sub.scores;
  std::vector<double> sorted = scores;
  std::sort(sorted.begin(), sorted.end());
  const double median = sorted[sorted.size() / 2];
  const auto at_least = [&](double x) {
    return static_cast<std::size_t>(
        std::count_if(scores.begin(), scores.end(), [&](double s) { return s >= x; }));
  };
  ASSERT_EQ(predict("median", {"--min-conf", fmt::format("{:.9g}", median)}).exit_code, 0);
  const std::size_t detected = rows_of(dir() / "median/detections.csv").size();
  EXPECT_GE(detected, at_least(median + 1e-5));
  EXPECT_LE(detected, at_least(median - 1e-5));
  EXPECT_LT(detected, scores.size());

  // --top-n 1: one detection per chunk.
  ASSERT_EQ(predict("top1", {"--min-conf", "0", "--top-n", "1"}).exit_code, 0);
  EXPECT_EQ(rows_of(dir() / "top1/detections.csv").size(), 5u);

  // Unbounded merging: one event per class and recording, from 0 to the recording's end; two
  // chunks at most: s1 [0, 10) and [10, 12), tail [0, 10).
  ASSERT_EQ(predict("merged", {"--min-conf", "0", "--merge-consecutive", "100"}).exit_code, 0);
  const auto merged = rows_of(dir() / "merged/detections.csv");
  ASSERT_EQ(merged.size(), 2u * 3u);
  EXPECT_NE(merged[0].find(",0.000,12.000,"), std::string::npos) << merged[0];
  ASSERT_EQ(predict("pairs", {"--min-conf", "0", "--merge-consecutive", "2"}).exit_code, 0);
  EXPECT_EQ(rows_of(dir() / "pairs/detections.csv").size(), 3u * 3u);

  // Out of range: refused by the flag and by the key.
  EXPECT_EQ(predict("x", {"--min-conf", "1.5"}).exit_code, 2);
  const auto key = predict("x", {"--set", "postprocess.threshold=-0.1"});
  EXPECT_EQ(key.exit_code, 2);
  EXPECT_NE(key.err.find("postprocess.threshold"), std::string::npos) << key.err;
  EXPECT_EQ(predict("x", {"--merge-consecutive", "0"}).exit_code, 2);
}

// The keys behind the flags, set through --set as a recipe's [infer] and [postprocess] would.
TEST_F(PredictControls, TheKeysBehindTheFlagsActThroughSet) {
  const auto keys = [&](const std::string& out, std::vector<std::string> sets) {
    std::vector<std::string> extra;
    for (const std::string& kv : sets) extra.insert(extra.end(), {"--set", kv});
    const auto r = predict(out, extra);
    EXPECT_EQ(r.exit_code, 0) << r.err;
  };
  keys("chunks4", {"infer.chunk_seconds=4"});  // 12 s and 10.13 s in 4 s chunks
  EXPECT_EQ(formats::read_score_table(dir() / "chunks4/submission.csv").row_ids,
            (std::vector<std::string>{"s1_4", "s1_8", "s1_12", "tail_4", "tail_8", "tail_12"}));
  keys("overlap", {"infer.overlap_seconds=2.5"});
  EXPECT_EQ(formats::read_score_table(dir() / "overlap/submission.csv").row_ids.size(), 5u + 4u);
  // threshold 0: every cell; top_k 1: one per chunk; merge_consecutive 2: pairs of chunks.
  keys("all", {"postprocess.threshold=0"});
  EXPECT_EQ(rows_of(dir() / "all/detections.csv").size(), 5u * 3u);
  keys("none", {"postprocess.threshold=1"});
  EXPECT_LT(rows_of(dir() / "none/detections.csv").size(), 5u * 3u);
  keys("top1", {"postprocess.threshold=0", "postprocess.top_k=1"});
  EXPECT_EQ(rows_of(dir() / "top1/detections.csv").size(), 5u);
  keys("pairs", {"postprocess.threshold=0", "postprocess.merge_consecutive=2"});
  EXPECT_EQ(rows_of(dir() / "pairs/detections.csv").size(), 3u * 3u);
}

TEST_F(PredictControls, ASpeciesListKeepsOnlyItsClasses) {
  const fs::path list = testing::write_text(dir() / "list.txt", "# survey species\nsp2\n\n");
  const auto listed = predict("listed", {"--species-list", list.string(), "--min-conf", "0"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const formats::ScoreTable sub = formats::read_score_table(dir() / "listed/submission.csv");
  EXPECT_EQ(sub.classes, (std::vector<std::string>{"sp2"}));
  const auto detections = rows_of(dir() / "listed/detections.csv");
  ASSERT_EQ(detections.size(), 5u);
  for (const auto& row : detections) EXPECT_NE(row.find(",sp2,"), std::string::npos) << row;
  const auto raven = formats::RavenTable::read(dir() / "listed/raven/all.selections.txt");
  for (const auto& s : raven.selections) EXPECT_EQ(s.label, "sp2");

  // The same through the key.
  ASSERT_EQ(predict("key", {"--set", "postprocess.species=" + list.string()}).exit_code, 0);
  EXPECT_EQ(formats::read_score_table(dir() / "key/submission.csv").classes,
            (std::vector<std::string>{"sp2"}));

  const fs::path typo = testing::write_text(dir() / "typo.txt", "sp2\nsp9\n");
  const auto unknown = predict("x", {"--species-list", typo.string()});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("typo.txt:2: 'sp9' is not one of the model's 3 classes"),
            std::string::npos)
      << unknown.err;
  const auto missing =
      predict("x", {"--set", "postprocess.species=" + (dir() / "no.txt").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no.txt: cannot open the species list"), std::string::npos)
      << missing.err;
}

// The common and scientific names in the Raven tables and kaleidoscope.csv: the codes for a model
// without names, the checkpoint's when it was imported (or trained) with a taxonomy, a
// --taxonomy's when given; a species list keeps each class's own name.
TEST_F(PredictControls, NamesFromTheCheckpointOrATaxonomy) {
  const auto common_names = [&](const std::string& out) {
    std::vector<std::string> names;
    for (const auto& s :
         formats::RavenTable::read(dir() / out / "raven/all.selections.txt", "Common Name")
             .selections)
      names.push_back(s.label);
    return names;
  };
  const auto codes = predict("codes", {"--min-conf", "0", "--top-n", "1"});
  ASSERT_EQ(codes.exit_code, 0) << codes.err;
  const auto code_rows = formats::RavenTable::read(dir() / "codes/raven/all.selections.txt");
  ASSERT_FALSE(code_rows.selections.empty());
  EXPECT_EQ(common_names("codes").front(), code_rows.selections.front().label);
  EXPECT_EQ(code_rows.selections.front().begin_path, (audio() / "s1.ogg").string());

  const fs::path taxonomy = testing::write_text(dir() / "taxonomy.csv",
                                                "primary_label,scientific_name,common_name\n"
                                                "sp1,Turdus migratorius,American Robin\n"
                                                "sp2,Vermivora chrysoptera,Golden-winged Warbler\n"
                                                "sp3,Passer domesticus,House Sparrow\n");
  const std::map<std::string, std::string> common = {
      {"sp1", "American Robin"}, {"sp2", "Golden-winged Warbler"}, {"sp3", "House Sparrow"}};
  const auto expect_names = [&](const std::string& out) {
    const auto table = formats::RavenTable::read(dir() / out / "raven/all.selections.txt");
    const auto names = common_names(out);
    ASSERT_EQ(names.size(), table.selections.size());
    for (std::size_t i = 0; i < names.size(); ++i)
      EXPECT_EQ(names[i], common.at(table.selections[i].label)) << out;
  };
  ASSERT_EQ(predict("flag", {"--min-conf", "0", "--taxonomy", taxonomy.string()}).exit_code, 0);
  expect_names("flag");
  ASSERT_EQ(
      predict("key", {"--min-conf", "0", "--set", "postprocess.taxonomy=" + taxonomy.string()})
          .exit_code,
      0);
  expect_names("key");
  // Imported with the taxonomy as its class list, the checkpoint carries the names.
  const auto imported =
      run_chorus({"import", "--arch", "resnet18", "--weights", (dir() / "m.safetensors").string(),
                  "--classes", taxonomy.string(), "--out", (dir() / "named.ckpt").string()});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const fs::path list = testing::write_text(dir() / "list.txt", "sp3\n");
  ASSERT_EQ(run_chorus({"--quiet", "predict", audio().string(), "--model",
                        (dir() / "named.ckpt").string(), "--out", (dir() / "named").string(),
                        "--min-conf", "0", "--species-list", list.string()})
                .exit_code,
            0);
  expect_names("named");
  EXPECT_EQ(common_names("named").front(), "House Sparrow");

  // Kaleidoscope: the file split as BirdNET-Analyzer does, both names, the detection's span.
  const formats::CsvTable k = formats::CsvTable::read(dir() / "named/kaleidoscope.csv");
  EXPECT_EQ(k.header(),
            (std::vector<std::string>{"INDIR", "FOLDER", "IN FILE", "OFFSET", "DURATION",
                                      "scientific_name", "common_name", "confidence"}));
  ASSERT_GE(k.rows(), 3u);  // every chunk of both recordings is a detection at 0
  EXPECT_EQ(k.at(0, 0), dir().string());
  EXPECT_EQ(k.at(0, 1), "audio");
  EXPECT_EQ(k.at(0, 2), "s1.ogg");
  EXPECT_EQ(k.at(0, 3), "0.000");
  EXPECT_EQ(k.at(0, 4), "5.000");
  EXPECT_EQ(k.at(0, 5), "Passer domesticus");
  EXPECT_EQ(k.at(0, 6), "House Sparrow");
}

TEST_F(PredictControls, ResumeRefusesOtherModelsAndSettings) {
  ASSERT_EQ(predict("run").exit_code, 0);
  // Other weights, the same classes.
  testing::import_random_resnet18(dir(), {"sp1", "sp2", "sp3"}, "other");
  const auto other =
      run_chorus({"--quiet", "predict", audio().string(), "--model",
                  (dir() / "other.ckpt").string(), "--out", (dir() / "run").string(), "--resume"});
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.err.find("was made with other models or settings"), std::string::npos)
      << other.err;
  EXPECT_NE(other.err.find("models: " + model()), std::string::npos) << other.err;
  const auto chunks = predict("run", {"--resume", "--set", "infer.chunk_seconds=4"});
  EXPECT_EQ(chunks.exit_code, 2);
  EXPECT_NE(chunks.err.find("infer.chunk_seconds: 5.0 before, 4.0 now"), std::string::npos)
      << chunks.err;
  // A run made by an earlier chorus, whose run.json lacks a setting added since (here
  // infer.precision), continues when the setting is at its default.
  std::string manifest = testing::read_text(dir() / "run/run.json");
  const std::size_t at = manifest.find("\"infer.precision\": ");
  ASSERT_NE(at, std::string::npos) << manifest;
  manifest.erase(at, manifest.find('\n', at) + 1 - at);
  testing::write_text(dir() / "run/run.json", manifest);
  const auto earlier = predict("run", {"--resume"});
  ASSERT_EQ(earlier.exit_code, 0) << earlier.err;
  EXPECT_NE(earlier.out.find("0 predicted, 2 resumed"), std::string::npos) << earlier.out;
  // What only chooses the outputs may change: they are rebuilt from the saved scores.
  const auto threshold = predict("run", {"--resume", "--min-conf", "0"});
  ASSERT_EQ(threshold.exit_code, 0) << threshold.err;
  EXPECT_NE(threshold.out.find("2 recordings: 0 predicted, 2 resumed, 0 failed\n"),
            std::string::npos)
      << threshold.out;
  EXPECT_EQ(rows_of(dir() / "run/detections.csv").size(), 15u);
}

TEST_F(PredictControls, ARerunWithoutResumeLeavesNoStaleFiles) {
  ASSERT_EQ(predict("rerun").exit_code, 0);
  testing::write_text(dir() / "rerun/notes.txt", "mine");
  ASSERT_TRUE(fs::exists(dir() / "rerun/raven/tail.selections.txt"));
  const auto only_s1 = run_chorus({"--quiet", "predict", (audio() / "s1.ogg").string(), "--model",
                                   model(), "--out", (dir() / "rerun").string()});
  ASSERT_EQ(only_s1.exit_code, 0) << only_s1.err;
  for (const char* stale : {"raven/tail.selections.txt", "audacity/tail.txt", "parts/tail.json"})
    EXPECT_FALSE(fs::exists(dir() / "rerun" / stale)) << stale;
  EXPECT_TRUE(fs::exists(dir() / "rerun/raven/s1.selections.txt"));
  EXPECT_EQ(testing::read_text(dir() / "rerun/notes.txt"), "mine");  // not chorus's: kept
  EXPECT_EQ(formats::read_score_table(dir() / "rerun/submission.csv").row_ids.size(), 3u);
}

// --channel through the command: one channel scores as a mono file of that channel's samples;
// all makes each channel a recording (<name>_ch<k>, its number in Raven's Channel column); a
// channel the file lacks is that file's error; a value that is no choice is refused.
TEST_F(PredictControls, ChannelsMixedChosenOrEachScored) {
  const std::vector<float> left = testing::white_noise(32000, 7.0, 0.1, 6),
                           right = testing::white_noise(32000, 7.0, 0.02, 7);
  std::vector<float> stereo;
  for (std::size_t i = 0; i < left.size(); ++i) stereo.insert(stereo.end(), {left[i], right[i]});
  fs::create_directories(dir() / "stereo");
  fs::create_directories(dir() / "mono");
  testing::write_raw_wav(dir() / "stereo/rec.wav", stereo, 2, SF_FORMAT_PCM_16);
  testing::write_raw_wav(dir() / "mono/left.wav", left, 1, SF_FORMAT_PCM_16);
  testing::write_raw_wav(dir() / "mono/right.wav", right, 1, SF_FORMAT_PCM_16);
  const auto run = [&](const fs::path& input, const std::string& out,
                       std::vector<std::string> extra) {
    std::vector<std::string> args = {"--quiet", "predict", input.string(),         "--model",
                                     model(),   "--out",   (dir() / out).string(), "--min-conf",
                                     "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_chorus(args);
  };
  // The scores of `out`'s rows whose row_id starts with `name` + "_", in order.
  const auto scores_of = [&](const std::string& out, const std::string& name) {
    const formats::ScoreTable t = formats::read_score_table(dir() / out / "submission.csv");
    std::vector<double> values;
    for (std::size_t r = 0; r < t.rows(); ++r)
      if (t.row_ids[r].starts_with(name + "_") &&
          t.row_ids[r].find('_', name.size() + 1) == std::string::npos)
        for (std::size_t c = 0; c < t.classes.size(); ++c) values.push_back(t.score(r, c));
    return values;
  };
  ASSERT_EQ(run(dir() / "mono", "mono", {}).exit_code, 0);
  ASSERT_EQ(run(dir() / "stereo", "mix", {}).exit_code, 0);
  ASSERT_EQ(run(dir() / "stereo", "second", {"--channel", "2"}).exit_code, 0);
  ASSERT_EQ(run(dir() / "stereo", "second_key", {"--set", "infer.channel=2"}).exit_code, 0);
  const auto all = run(dir() / "stereo", "all", {"--channel", "all"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  ASSERT_EQ(scores_of("mono", "left").size(), 6u);  // 2 chunks × 3 classes
  EXPECT_EQ(scores_of("second", "rec"), scores_of("mono", "right"));
  EXPECT_EQ(scores_of("second_key", "rec"), scores_of("mono", "right"));
  EXPECT_NE(scores_of("mix", "rec"), scores_of("mono", "right"));
  EXPECT_EQ(scores_of("all", "rec_ch1"), scores_of("mono", "left"));
  EXPECT_EQ(scores_of("all", "rec_ch2"), scores_of("mono", "right"));
  EXPECT_NE(all.out.find("2 recordings: 2 predicted"), std::string::npos) << all.out;
  const auto raven = formats::CsvTable::read(dir() / "all/raven/all.selections.txt", '\t');
  std::set<std::string> channels;
  for (std::size_t r = 0; r < raven.rows(); ++r) {
    const std::string& path = raven.at(r, raven.column("Begin Path"));
    EXPECT_EQ(path, (dir() / "stereo/rec.wav").string());
    channels.insert(raven.at(r, raven.column("Channel")));
  }
  EXPECT_EQ(channels, (std::set<std::string>{"1", "2"}));
  EXPECT_TRUE(fs::exists(dir() / "all/raven/rec_ch2.selections.txt"));
  const formats::CsvTable detections = formats::CsvTable::read(dir() / "all/detections.csv");
  std::set<std::string> detected_channels;
  for (std::size_t r = 0; r < detections.rows(); ++r)
    detected_channels.insert(detections.at(r, detections.column("channel")));
  EXPECT_EQ(detected_channels, (std::set<std::string>{"1", "2"}));
  EXPECT_EQ(formats::CsvTable::read(dir() / "mix/detections.csv").at(0, 5), "0");

  const auto third = run(dir() / "stereo", "third", {"--channel", "3"});
  EXPECT_EQ(third.exit_code, 2);
  EXPECT_NE(testing::read_text(dir() / "third/errors.csv")
                .find("channel 3 asked of a recording with 2 channels"),
            std::string::npos);
  const auto bad = run(dir() / "stereo", "bad", {"--channel", "left"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("infer.channel = \"left\": expected \"mix\", \"all\" or a channel "
                         "number from 1"),
            std::string::npos)
      << bad.err;
}

TEST_F(PredictControls, RecorderFoldersWithTheSameFileNames) {
  // AudioMoth-style names in two site folders: a 2-channel WAV and an MP3 without a length tag.
  const fs::path sites = dir() / "sites";
  fs::create_directories(sites / "SITE_A");
  fs::create_directories(sites / "SITE_B");
  std::vector<float> stereo;
  for (float v : testing::white_noise(32000, 6.0, 0.1, 3)) stereo.insert(stereo.end(), {v, -v});
  testing::write_raw_wav(sites / "SITE_A/20190522_050000.wav", stereo, 2, SF_FORMAT_PCM_16);
  testing::write_mp3_without_tag(sites / "SITE_B/20190522_050000.mp3",
                                 testing::white_noise(44100, 6.0, 0.1, 4), 44100);
  audio::write_audio(sites / "SITE_B/20190522_060000.flac",
                     testing::white_noise(32000, 5.0, 0.1, 5), 32000);
  const auto run = run_chorus({"--quiet", "predict", sites.string(), "--model", model(), "--out",
                               (dir() / "sites_run").string(), "--min-conf", "0"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("3 recordings: 3 predicted, 0 resumed, 0 failed\n"), std::string::npos)
      << run.out;
  const auto sub = formats::read_score_table(dir() / "sites_run/submission.csv");
  // Stems shared by two files are named by their path below the folder they share; a stem of
  // its own stays the stem. Recordings go in the order of their names.
  EXPECT_EQ(sub.row_ids,
            (std::vector<std::string>{"20190522_060000_5", "SITE_A/20190522_050000_5",
                                      "SITE_A/20190522_050000_10", "SITE_B/20190522_050000_5",
                                      "SITE_B/20190522_050000_10"}));
  EXPECT_TRUE(fs::exists(dir() / "sites_run/parts/SITE_A/20190522_050000.json"));
  const auto raven =
      formats::RavenTable::read(dir() / "sites_run/raven/SITE_B/20190522_050000.selections.txt");
  ASSERT_FALSE(raven.selections.empty());
  EXPECT_EQ(raven.selections[0].begin_file, "20190522_050000.mp3");
  EXPECT_EQ(raven.selections[0].begin_path, (sites / "SITE_B/20190522_050000.mp3").string());

  // Shards name alike, so their merge is the single run.
  for (int i = 1; i <= 2; ++i)
    ASSERT_EQ(run_chorus({"--quiet", "predict", sites.string(), "--model", model(), "--out",
                          (dir() / fmt::format("site_shard{}", i)).string(), "--shard",
                          fmt::format("{}/2", i)})
                  .exit_code,
              0);
  ASSERT_EQ(run_chorus({"merge", (dir() / "site_shard1/submission.csv").string(),
                        (dir() / "site_shard2/submission.csv").string(), "--out",
                        (dir() / "site_merged.csv").string()})
                .exit_code,
            0);
  EXPECT_EQ(testing::read_text(dir() / "site_merged.csv"),
            testing::read_text(dir() / "sites_run/submission.csv"));
}

TEST_F(PredictControls, WordingExitStatusAndOptionOrder) {
  testing::write_text(dir() / "notes.txt", "not audio");
  // --model before the inputs takes one checkpoint; --quiet may follow the command.
  const auto ordered = run_chorus({"predict", "--model", model(), (audio() / "s1.ogg").string(),
                                   "--out", (dir() / "order").string(), "--quiet"});
  ASSERT_EQ(ordered.exit_code, 0) << ordered.err;
  EXPECT_NE(ordered.out.find("1 recording: 1 predicted, 0 resumed, 0 failed\n"), std::string::npos)
      << ordered.out;
  EXPECT_EQ(ordered.out.find("errors.csv"), std::string::npos) << ordered.out;
  EXPECT_EQ(ordered.err.find("s of audio"), std::string::npos) << ordered.err;  // no progress
  // Progress counts seconds of audio (the bar moves inside a long recording); a recording that
  // fails counts as done, so the bar ends at 100 %.
  std::filesystem::copy_file(audio() / "s1.ogg", dir() / "mixed_s1.ogg");
  const auto shown =
      run_chorus({"predict", (dir() / "mixed_s1.ogg").string(), (dir() / "notes.txt").string(),
                  "--model", model(), "--out", (dir() / "shown").string()});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.err.find("100% 12/12 s of audio"), std::string::npos) << shown.err;
  EXPECT_NE(shown.out.find("2 recordings: 1 predicted, 0 resumed, 1 failed (see "),
            std::string::npos)
      << shown.out;

  // Every input failing is a failed run.
  const fs::path notes = dir() / "notes.txt";
  const auto failed = run_chorus(
      {"predict", notes.string(), "--model", model(), "--out", (dir() / "failed").string()});
  EXPECT_EQ(failed.exit_code, 2);
  EXPECT_NE(failed.err.find("no recording could be predicted (1 failed; see"), std::string::npos)
      << failed.err;
  EXPECT_EQ(failed.err.find(".cpp:"), std::string::npos) << failed.err;  // no source location
  const auto verbose = run_chorus({"predict", notes.string(), "--model", model(), "--out",
                                   (dir() / "failed").string(), "--verbose"});
  EXPECT_NE(verbose.err.find(".cpp:"), std::string::npos) << verbose.err;
}

// The oneDNN ISA a run names in its "networks in <precision> (oneDNN ISA <isa>…" line.
std::string isa_named(const std::string& out) {
  const std::string marker = "oneDNN ISA ";
  const std::size_t at = out.find(marker);
  if (at == std::string::npos) return {};
  const std::size_t begin = at + marker.size();
  return out.substr(begin, out.find_first_of(",)", begin) - begin);
}

// What oneDNN's ISA (as a run names it) has: int8 dot products, bf16 ones.
bool isa_has_vnni(const std::string& isa) {
  return isa == "avx512_core_vnni" || isa == "avx512_core_bf16" || isa == "avx512_core_amx" ||
         isa == "avx2_vnni";
}
bool isa_has_native_bf16(const std::string& isa) {
  return isa == "avx512_core_bf16" || isa == "avx512_core_amx";
}

// The submission in `reduced` (bf16 or int8) against the one in `fp32`: the same rows, scores
// within the reduced format's resolution and not all equal (it really ran). A sigmoid moves at most
// a quarter as much as its logit, and the compiled-network tests hold bf16 and int8 logits to 0.03
// of their scale (at least 1): 0.03 for logits up to 4.
void expect_within_reduced_resolution(const fs::path& fp32, const fs::path& reduced) {
  const formats::ScoreTable a = formats::read_score_table(fp32 / "submission.csv"),
                            b = formats::read_score_table(reduced / "submission.csv");
  ASSERT_EQ(a.row_ids, b.row_ids);
  double largest = 0;
  for (std::size_t i = 0; i < a.scores.size(); ++i)
    largest = std::max(largest, std::abs(a.scores[i] - b.scores[i]));
  EXPECT_LE(largest, 0.03) << "max |Δ probability| of " << reduced.filename();
  EXPECT_GT(largest, 1e-6) << reduced.filename() << " gave fp32's scores";
}

// --precision and infer.precision through the command: bf16 scores within bf16's resolution of
// fp32 (and not equal to them: bf16 really ran) where oneDNN has bf16 kernels (AVX-512 and up),
// and is refused with the reason where it has none (ONEDNN_MAX_CPU_ISA=AVX2); auto takes bf16
// only where the CPU has it natively; the run's manifest records the precision used.
TEST_F(PredictControls, PrecisionBf16ScoresAsFp32ToItsResolution) {
  const auto fp32 = predict("fp32");
  ASSERT_EQ(fp32.exit_code, 0) << fp32.err;
  EXPECT_NE(fp32.out.find("networks in fp32 (oneDNN ISA "), std::string::npos) << fp32.out;
  const std::string isa = isa_named(fp32.out);
  const bool kernels = isa.starts_with("avx512_core"), native = isa_has_native_bf16(isa);

  const auto automatic = predict("auto", {"--precision", "auto"});
  ASSERT_EQ(automatic.exit_code, 0) << automatic.err;
  EXPECT_NE(automatic.out.find(native ? "networks in bf16" : "networks in fp32"), std::string::npos)
      << automatic.out;
  // The value run.json records for infer.precision (a TOML value inside a JSON string).
  const auto recorded = [&](const std::string& out) {
    const std::string json = testing::read_text(dir() / out / "run.json");
    const std::size_t at = json.find("\"infer.precision\": ");
    return at == std::string::npos ? std::string() : json.substr(at, json.find('\n', at) - at);
  };
  EXPECT_NE(recorded("auto").find(native ? "bf16" : "fp32"), std::string::npos) << recorded("auto");

  const auto bf16 = predict("bf16", {"--precision", "bf16"});
  const auto key = predict("key", {"--set", "infer.precision=bf16"});
  if (!kernels) {
    EXPECT_EQ(bf16.exit_code, 2);
    EXPECT_NE(bf16.err.find(
                  "infer.precision = bf16 needs a CPU with AVX-512 (oneDNN's ISA here is " + isa),
              std::string::npos)
        << bf16.err;
    EXPECT_EQ(key.exit_code, 2);
  } else {
    ASSERT_EQ(bf16.exit_code, 0) << bf16.err;
    ASSERT_EQ(key.exit_code, 0) << key.err;
    EXPECT_NE(bf16.out.find(native ? "networks in bf16 (oneDNN ISA " + isa + ")"
                                   : "emulated: slower than fp32"),
              std::string::npos)
        << bf16.out;
    expect_within_reduced_resolution(dir() / "fp32", dir() / "bf16");
    EXPECT_EQ(formats::read_score_table(dir() / "key/submission.csv").scores,
              formats::read_score_table(dir() / "bf16/submission.csv").scores);
    EXPECT_NE(recorded("bf16").find("bf16"), std::string::npos) << recorded("bf16");
  }
  const auto unknown = predict("x", {"--precision", "fp16"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("--precision"), std::string::npos) << unknown.err;
  const auto unknown_key = predict("x", {"--set", "infer.precision=int4"});
  EXPECT_EQ(unknown_key.exit_code, 2);
  EXPECT_NE(unknown_key.err.find("infer.precision"), std::string::npos) << unknown_key.err;
}

// int8 through the commands: refused for a model chorus calibrate has not measured (the message
// says what to run); chorus calibrate takes whole recordings until --windows windows (the [infer]
// settings make the windows, as in predict), writes --out or the model in place (chorus info
// shows the calibration and the weight levels its errors were measured with), and the
// calibrated model predicts in int8 within int8's resolution of fp32 (and not equal: int8 ran);
// auto takes int8 for it where the CPU has VNNI.
TEST_F(PredictControls, PrecisionInt8AfterCalibrate) {
  const auto uncalibrated = predict("x", {"--precision", "int8"});
  EXPECT_EQ(uncalibrated.exit_code, 2);
  EXPECT_NE(uncalibrated.err.find("int8 needs a calibrated model; run chorus calibrate --model " +
                                  model()),
            std::string::npos)
      << uncalibrated.err;

  const std::string calibrated = (dir() / "calibrated.ckpt").string();
  const auto calibrate = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"--quiet", "calibrate",      "--model",   model(),
                                     "--data",  audio().string(), "--threads", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_chorus(args);
  };
  // s1 (12 s) gives 3 windows and tail (10.13 s) 2; its last 0.13 s a third with
  // infer.min_last_chunk_seconds = 0.
  const auto all = calibrate({"--out", calibrated});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_NE(all.out.find("calibrated int8 on 5 windows from 2 recordings"), std::string::npos)
      << all.out;
  EXPECT_NE(all.out.find("19 of 20 convolutions in int8"), std::string::npos) << all.out;
  EXPECT_NE(all.out.find("largest own int8 error"), std::string::npos) << all.out;
  const auto more = calibrate({"--out", calibrated, "--set", "infer.min_last_chunk_seconds=0"});
  ASSERT_EQ(more.exit_code, 0) << more.err;
  EXPECT_NE(more.out.find("on 6 windows from 2 recordings"), std::string::npos) << more.out;
  // A setting no recording can be scored with stops the command at once, not once per file.
  const auto every_channel = calibrate({"--out", calibrated, "--set", "infer.channel=\"all\""});
  EXPECT_EQ(every_channel.exit_code, 2);
  EXPECT_NE(every_channel.err.find("infer.channel = all"), std::string::npos) << every_channel.err;
  EXPECT_EQ(every_channel.err.find("skipped"), std::string::npos) << every_channel.err;
  const auto one = calibrate({"--out", calibrated, "--windows", "1"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_NE(one.out.find("from 1 recording\n"), std::string::npos) << one.out;
  ASSERT_EQ(calibrate({"--out", calibrated}).exit_code, 0);
  // --out left the model as it was; chorus info tells the two apart.
  EXPECT_EQ(predict("x", {"--precision", "int8"}).exit_code, 2);
  const auto info_plain = run_chorus({"info", "--model", model()});
  EXPECT_NE(info_plain.out.find("int8        not calibrated (chorus calibrate --model " + model()),
            std::string::npos)
      << info_plain.out;
  const auto info_calibrated = run_chorus({"info", "--model", calibrated});
  EXPECT_NE(info_calibrated.out.find("int8        calibrated on 5 windows: 19 of 20 convolutions "
                                     "in int8; largest own error convolution "),
            std::string::npos)
      << info_calibrated.out;

  const auto fp32 = predict("fp32");
  ASSERT_EQ(fp32.exit_code, 0) << fp32.err;
  const auto int8 = run_chorus({"--quiet", "predict", audio().string(), "--model", calibrated,
                                "--out", (dir() / "int8").string(), "--precision", "int8"});
  ASSERT_EQ(int8.exit_code, 0) << int8.err;
  EXPECT_NE(int8.out.find("networks in int8 (oneDNN ISA "), std::string::npos) << int8.out;
  const std::string isa = isa_named(int8.out);
  const bool vnni = isa_has_vnni(isa);
  // Without VNNI it runs, on slower kernels, and says so; the calibration measured its errors
  // with the weight levels those kernels take.
  EXPECT_EQ(int8.out.find("without VNNI") != std::string::npos, !vnni) << int8.out;
  EXPECT_NE(all.out.find(vnni ? "weights on ±127 levels): "
                              : "weights on ±63 levels, as this CPU without VNNI takes them): "),
            std::string::npos)
      << all.out;
  EXPECT_NE(info_calibrated.out.find(vnni ? " % (weights on ±127 levels)\n"
                                          : " % (weights on ±63 levels)\n"),
            std::string::npos)
      << info_calibrated.out;
  if (vnni) {
    // Calibrated where the kernels take ±63 (oneDNN held below VNNI), shown where they take ±127.
    const char* held = std::getenv("ONEDNN_MAX_CPU_ISA");
    const std::string before = held != nullptr ? held : "";
    ::setenv("ONEDNN_MAX_CPU_ISA", "AVX2", 1);
    const std::string on_avx2 = (dir() / "calibrated_on_avx2.ckpt").string();
    const auto without_vnni = calibrate({"--out", on_avx2});
    if (before.empty())
      ::unsetenv("ONEDNN_MAX_CPU_ISA");
    else
      ::setenv("ONEDNN_MAX_CPU_ISA", before.c_str(), 1);
    ASSERT_EQ(without_vnni.exit_code, 0) << without_vnni.err;
    const auto info_elsewhere = run_chorus({"info", "--model", on_avx2});
    EXPECT_NE(info_elsewhere.out.find(
                  " % (weights on ±63 levels; this CPU takes ±127: smaller errors here)\n"),
              std::string::npos)
        << info_elsewhere.out;
  }
  expect_within_reduced_resolution(dir() / "fp32", dir() / "int8");

  // auto takes int8 for a calibrated dense model on any CPU (never for an uncalibrated one:
  // PrecisionBf16ScoresAsFp32ToItsResolution).
  const auto automatic = run_chorus({"--quiet", "predict", audio().string(), "--model", calibrated,
                                     "--out", (dir() / "auto").string(), "--precision", "auto"});
  ASSERT_EQ(automatic.exit_code, 0) << automatic.err;
  EXPECT_NE(automatic.out.find("networks in int8"), std::string::npos) << automatic.out;

  // Calibrated in place, without --out; the key infer.precision does what --precision does: the
  // same calibration on the same recordings gives int8's scores, not fp32's, with int8 asked for
  // and with auto (a calibrated dense model scores in int8 on any CPU, VNNI or not).
  ASSERT_EQ(calibrate({}).exit_code, 0);
  for (const std::string precision : {"int8", "auto"}) {
    const std::string out = "in_place_" + precision;
    const auto key = predict(out, {"--set", "infer.precision=" + precision});
    ASSERT_EQ(key.exit_code, 0) << key.err;
    EXPECT_NE(key.out.find("networks in int8 (oneDNN ISA "), std::string::npos) << key.out;
    expect_within_reduced_resolution(dir() / "fp32", dir() / out);
    EXPECT_EQ(formats::read_score_table(dir() / out / "submission.csv").scores,
              formats::read_score_table(dir() / "int8/submission.csv").scores)
        << precision;
  }

  const auto nothing =
      run_chorus({"calibrate", "--model", model(), "--data", (dir() / "empty").string()});
  EXPECT_EQ(nothing.exit_code, 2);
  fs::create_directories(dir() / "empty");
  const auto empty =
      run_chorus({"calibrate", "--model", model(), "--data", (dir() / "empty").string()});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("no audio files"), std::string::npos) << empty.err;
}

// auto weighs the networks too: int8 for a calibrated ResNet-18 on any CPU, but a calibrated
// EfficientNet-B0 (depthwise convolutions, no faster in int8) in bf16 where the CPU has it
// natively, alone or in an ensemble with the ResNet (there through the key infer.precision); in
// int8 where the CPU has VNNI only; in fp32 where it has neither.
TEST_F(PredictControls, AutoTakesBf16ForDepthwiseNetworksWhereItIsNative) {
  ASSERT_EQ(
      testing::import_random_network(dir(), {"sp1", "sp2", "sp3"}, "effnet", "efficientnet_b0")
          .exit_code,
      0);
  const std::string effnet = (dir() / "effnet.ckpt").string();
  for (const std::string& m : {model(), effnet}) {
    const auto calibrated = run_chorus({"--quiet", "calibrate", "--model", m, "--data",
                                        audio().string(), "--windows", "2", "--threads", "2"});
    ASSERT_EQ(calibrated.exit_code, 0) << calibrated.err;
  }
  const auto automatic = [&](const std::vector<std::string>& models, const std::string& out) {
    const bool key = out == "both";
    std::vector<std::string> args = {"--quiet",
                                     "predict",
                                     audio().string(),
                                     "--out",
                                     (dir() / out).string(),
                                     key ? "--set" : "--precision",
                                     key ? "infer.precision=auto" : "auto"};
    for (const std::string& m : models) args.insert(args.end(), {"--model", m});
    return run_chorus(args);
  };
  const auto dense = automatic({model()}, "dense");
  ASSERT_EQ(dense.exit_code, 0) << dense.err;
  const std::string isa = isa_named(dense.out);
  const bool vnni = isa_has_vnni(isa), native = isa_has_native_bf16(isa);
  const char* fallback = native ? "networks in bf16" : "networks in fp32";
  EXPECT_NE(dense.out.find("networks in int8"), std::string::npos) << dense.out;
  for (const auto& [models, out] : {std::pair{std::vector{effnet}, "depthwise"},
                                    std::pair{std::vector{model(), effnet}, "both"}}) {
    const auto run = automatic(models, out);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(run.out.find(vnni && !native ? "networks in int8" : fallback), std::string::npos)
        << out << ": " << run.out;
  }
}

}  // namespace
}  // namespace chorus
