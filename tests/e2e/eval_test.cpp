// chorus eval: metrics of a hand-computed case, alignment by row_id and class name, the files it
// writes, its policies (unknown labels, scores outside [0, 1]) and its one-line errors; then the
// real esc50_dev soundscape labels with perfect, inverted and random predictions.

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "formats/clip_metadata.hpp"
#include "formats/csv_table.hpp"
#include "formats/soundscape_labels.hpp"
#include "formats/truth_labels.hpp"
#include "support/png_picture.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

using testing::run_chorus;
using testing::write_text;

// Four 5 s chunks, two classes. Worked by hand (score >= threshold is positive):
//   class a: positives 0.9, 0.6; negatives 0.85, 0.1 → AUC 3/4, AP (1 + 2/3)/2 = 5/6
//   class b: positives 0.8, 0.4; negatives 0.5, 0.2  → AUC 3/4, AP 5/6
//   padded AP (5 rows of 1): 5/7 + 1/7 + (1/7)(7/8) = 55/56 for each class
//   LWLRAP: s_5 1, s_10 (b under a) 1/2, s_15 1 and 1 → 3.5/4 = 7/8
//   at 0.5: a tp 2 fp 1 → 4/5, b tp 1 fp 1 fn 1 → 1/2; pooled tp 3 fp 2 fn 1 → 2/3
//   best macro F1 over the scores: 0.4 → a 4/5, b tp 2 fp 1 → 4/5; macro 4/5
//   top-1: s_5 a ✓, s_10 a ✗, s_15 a ✓ (s_20 has no label) → 2/3
const std::string kTruth =
    "row_id,soundscape_id,end_second,labels,background\n"
    "s_5,s,5,a,wind\n"
    "s_10,s,10,b,\n"
    "s_15,s,15,b a,rain\n"
    "s_20,s,20,,\n";
// Rows and columns in another order than the truth's.
const std::string kPredictions =
    "row_id,b,a\n"
    "s_20,0.5,0.1\n"
    "s_10,0.8,0.85\n"
    "s_5,0.2,0.9\n"
    "s_15,0.4,0.6\n";

class EvalTest : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    return write_text(dir_ / name, text).string();
  }
  // `chorus eval --json` on the two texts; fails the test unless it succeeds.
  nlohmann::json eval_json(const std::string& truth, const std::string& predictions,
                           std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"eval",
                                     "--truth",
                                     write("truth.csv", truth),
                                     "--predictions",
                                     write("sub.csv", predictions),
                                     "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run_chorus(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json::object();
  }
  // The error line of a failing `chorus eval`, without its line end.
  std::string eval_error(const std::string& truth, const std::string& predictions) const {
    const auto r = run_chorus({"eval", "--truth", write("truth.csv", truth), "--predictions",
                               write("sub.csv", predictions)});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    return r.err.substr(0, r.err.rfind('\n'));
  }

  testing::TempDir dir_;
};

TEST_F(EvalTest, HandComputedCase) {
  const nlohmann::json j = eval_json(kTruth, kPredictions);
  EXPECT_EQ(j["rows"], 4);
  EXPECT_EQ(j["rows_with_labels"], 3);
  EXPECT_EQ(j["classes"], 2);
  EXPECT_EQ(j["classes_scored"], 2);
  EXPECT_DOUBLE_EQ(j["macro_roc_auc"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(j["padded_cmap"].get<double>(), 55.0 / 56.0);
  EXPECT_DOUBLE_EQ(j["lwlrap"].get<double>(), 7.0 / 8.0);
  EXPECT_DOUBLE_EQ(j["micro_f1"].get<double>(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(j["macro_f1"].get<double>(), 0.65);
  EXPECT_DOUBLE_EQ(j["best_macro_f1"]["f1"].get<double>(), 0.8);
  EXPECT_DOUBLE_EQ(j["best_macro_f1"]["threshold"].get<double>(), 0.4);
  EXPECT_DOUBLE_EQ(j["top1_accuracy"].get<double>(), 2.0 / 3.0);
  ASSERT_EQ(j["per_class"].size(), 2u);
  const auto& b = j["per_class"][0];  // the prediction's column order
  EXPECT_EQ(b["class"], "b");
  EXPECT_EQ(b["positives"], 2);
  EXPECT_DOUBLE_EQ(b["average_precision"].get<double>(), 5.0 / 6.0);
  EXPECT_DOUBLE_EQ(b["roc_auc"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(b["padded_average_precision"].get<double>(), 55.0 / 56.0);
}

TEST_F(EvalTest, TablePrintsEveryMetric) {
  const auto r = run_chorus({"eval", "--truth", write("truth.csv", kTruth), "--predictions",
                             write("sub.csv", kPredictions), "--threshold", "0.4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::string line :
       {"rows             4\n", "classes          2 ", "classes scored   2 ",
        "macro ROC-AUC    0.7500 ", "padded cmAP      0.9821    BirdCLEF 2022/2023, padding 5\n",
        "LWLRAP           0.8750 ", "micro F1         0.8000    score >= 0.4\n",
        "macro F1         0.8000    score >= 0.4\n", "best macro F1    0.8000    score >= 0.4\n",
        "top-1 accuracy   0.6667    over the 3 rows with a label\n"})
    EXPECT_NE(r.out.find(line), std::string::npos) << "missing: " << line << "\n" << r.out;
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST_F(EvalTest, RowAndColumnOrderDoNotMatter) {
  const nlohmann::json shuffled = eval_json(kTruth, kPredictions);
  const nlohmann::json in_order = eval_json(kTruth,
                                            "row_id,a,b\n"
                                            "s_5,0.9,0.2\n"
                                            "s_10,0.85,0.8\n"
                                            "s_15,0.6,0.4\n"
                                            "s_20,0.1,0.5\n");
  for (const char* key : {"macro_roc_auc", "padded_cmap", "lwlrap", "micro_f1", "macro_f1",
                          "best_macro_f1", "top1_accuracy"})
    EXPECT_EQ(shuffled[key], in_order[key]) << key;
  EXPECT_EQ(shuffled["per_class"][0], in_order["per_class"][1]);
}

TEST_F(EvalTest, WritesPerClassCsvAndPlot) {
  const auto r = run_chorus({"eval", "--truth", write("truth.csv", kTruth), "--predictions",
                             write("sub.csv", kPredictions + "s_25,0,0\n"), "--per-class",
                             path("per_class.csv"), "--plot", path("ap.png")});
  EXPECT_EQ(r.exit_code, 2);  // s_25 is not in the truth: nothing may be written
  EXPECT_FALSE(std::filesystem::exists(path("per_class.csv")));
  EXPECT_FALSE(std::filesystem::exists(path("ap.png")));

  const auto ok = run_chorus({"eval", "--truth", write("truth.csv", kTruth), "--predictions",
                              write("sub.csv", kPredictions), "--per-class", path("per_class.csv"),
                              "--plot", path("ap.png")});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const formats::CsvTable t = formats::CsvTable::read(path("per_class.csv"));
  EXPECT_EQ(t.header(),
            (std::vector<std::string>{"class", "positives", "negatives", "average_precision",
                                      "roc_auc", "padded_average_precision"}));
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.at(1, 0), "a");
  EXPECT_EQ(t.integer(1, 1), 2);
  EXPECT_DOUBLE_EQ(t.number(1, 3), 5.0 / 6.0);
  EXPECT_DOUBLE_EQ(t.number(1, 4), 0.75);
  const testing::Picture picture = testing::read_png(path("ap.png"));
  EXPECT_GT(picture.width, 500);
  EXPECT_GT(picture.height, 100);
  // Atomic writes leave no temporaries beside the outputs.
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path()))
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
}

TEST_F(EvalTest, UnknownTruthLabelsFailUnlessDropped) {
  const std::string truth = "row_id,labels\ns_5,a rain\ns_10,b\ns_15,rain\ns_20,wind\n";
  const std::string predictions =
      "row_id,a,b\ns_5,0.9,0.1\ns_10,0.2,0.7\ns_15,0.3,0.4\ns_20,0.1,0.2\n";
  EXPECT_EQ(eval_error(truth, predictions),
            "error: truth labels that are not columns of " + path("sub.csv") +
                ": rain (2 rows, "
                "first at " +
                path("truth.csv") + ":2), wind (1 row, first at " + path("truth.csv") +
                ":5); --ignore-unknown-labels drops them");

  const auto r = run_chorus({"eval", "--truth", path("truth.csv"), "--predictions", path("sub.csv"),
                             "--ignore-unknown-labels", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.rfind("warning: dropped truth labels that are not columns of ", 0), 0u) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["rows_with_labels"], 2);  // s_15 and s_20 lost their only labels
  EXPECT_EQ(j["dropped_labels"][0]["label"], "rain");
  EXPECT_EQ(j["dropped_labels"][0]["rows"], 2);
  EXPECT_DOUBLE_EQ(j["macro_roc_auc"].get<double>(), 1.0);
}

TEST_F(EvalTest, LogitsAreRankedAndWarnedAboutForF1) {
  const auto r = run_chorus(
      {"eval", "--truth", write("truth.csv", kTruth), "--predictions",
       write("sub.csv", "row_id,a,b\ns_5,3,-2\ns_10,1.5,1\ns_15,0.5,-0.5\ns_20,-4,0\n")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err,
            "warning: scores range over [-4, 3], outside [0, 1]: F1 at threshold 0.5 treats them "
            "as probabilities (the ranking metrics do not depend on the scale)\n");
  // The same ranks as kPredictions: the same ranking metrics.
  EXPECT_NE(r.out.find("macro ROC-AUC    0.7500 "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("LWLRAP           0.8750 "), std::string::npos) << r.out;
}

TEST_F(EvalTest, BadInputExitsTwoWithOneLine) {
  const std::string t = path("truth.csv"), p = path("sub.csv");
  EXPECT_EQ(eval_error(kTruth, "row_id,a,b\ns_5,0.9,0.1\ns_10,0.2,0.7\n"),
            "error: " + t + ": 2 of 4 truth rows have no prediction in " + p + ": s_15, s_20");
  EXPECT_EQ(eval_error(kTruth, kPredictions + "s_25,0,0\ns_30,0,0\n"),
            "error: " + p + ": 2 of 6 rows are not in the truth " + t + ": s_25, s_30");
  EXPECT_EQ(eval_error(kTruth, kPredictions + "s_5,0,0\n"),
            "error: " + p + ":6: duplicated row_id 's_5' (first on line 4)");
  EXPECT_EQ(eval_error(kTruth, "row_id,b,a\ns_20,0.5,0.1\ns_10,NaN,0.85\n"),
            "error: " + p + ":3: column 'b': 'NaN' is not a finite number");
  EXPECT_EQ(
      eval_error(kTruth, "id,b,a\ns_20,0.5,0.1\n"),
      "error: " + p + ": missing column (one of 'row_id', 'recording_id') (columns: id, b, a)");
  EXPECT_EQ(eval_error(kTruth + "s_5,s,5,a,\n", kPredictions),
            "error: " + t + ":6: duplicated row_id 's_5' (first on line 2)");
  EXPECT_EQ(eval_error(kTruth, "row_id,b,a\ns_20,0.5\n"),
            "error: " + p + ":2: expected 3 fields (as in the header), found 2");
}

// --- BirdCLEF train_metadata as truth: one row per clip ---------------------------------------

// Row id = filename without its extension; truth = primary + secondary labels. By hand:
//   a: positives 0.9, 0.4, 0.6; negative 0.5     → AUC 2/3, AP (1 + 1 + 3/4)/3 = 11/12
//   b: positive 0.8; negatives 0.2, 0.1, 0.3     → AUC 1, AP 1
//   c: positives 0.7, 0.2; negatives 0.1, 0.3    → AUC 3/4, AP (1 + 2/3)/2 = 5/6
//   padded AP: a 5/8 + 1/8 + 1/8 + (1/8)(8/9) = 71/72, b 1, c 6/7 + (1/7)(7/8) = 55/56
//   LWLRAP: XC1 1; XC2 1, 1; XC3 1; XC4 1, 2/3 → (17/3)/6 = 17/18; top-1: all four right
//   at 0.5: a tp 2 fp 1 fn 1 → 2/3, b → 1, c tp 1 fn 1 → 2/3; pooled tp 4 fp 1 fn 2 → 8/11
const std::string kClipMetadata =
    "primary_label,secondary_labels,filename,rating\n"
    "a,[],a/XC1.ogg,4\n"
    "b,['a'],b/XC2.ogg,3\n"
    "c,[],c/XC3.ogg,5\n"
    "a,\"['c', 'a']\",a/XC4.ogg,2\n";
const std::string kClipPredictions =
    "row_id,a,b,c\n"
    "c/XC3,0.5,0.1,0.7\n"
    "a/XC1,0.9,0.2,0.1\n"
    "a/XC4,0.6,0.3,0.2\n"
    "b/XC2,0.4,0.8,0.3\n";

TEST_F(EvalTest, ClipMetadataIsDetectedAndScoredPerClip) {
  const nlohmann::json j = eval_json(kClipMetadata, kClipPredictions);
  EXPECT_EQ(j["truth_format"], "metadata");
  EXPECT_EQ(j["rows"], 4);
  EXPECT_EQ(j["known_cells"], 12);
  EXPECT_EQ(j["classes_scored"], 3);
  EXPECT_DOUBLE_EQ(j["macro_roc_auc"].get<double>(), (2.0 / 3 + 1 + 0.75) / 3);
  EXPECT_DOUBLE_EQ(j["padded_cmap"].get<double>(), (71.0 / 72 + 1 + 55.0 / 56) / 3);
  EXPECT_DOUBLE_EQ(j["lwlrap"].get<double>(), 17.0 / 18);
  EXPECT_DOUBLE_EQ(j["micro_f1"].get<double>(), 8.0 / 11);
  EXPECT_DOUBLE_EQ(j["macro_f1"].get<double>(), 7.0 / 9);
  EXPECT_DOUBLE_EQ(j["top1_accuracy"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(j["per_class"][0]["average_precision"].get<double>(), 11.0 / 12);
  EXPECT_DOUBLE_EQ(j["per_class"][2]["average_precision"].get<double>(), 5.0 / 6);

  // Named explicitly, the same file scores the same.
  const nlohmann::json named =
      eval_json(kClipMetadata, kClipPredictions, {"--truth-format", "metadata"});
  EXPECT_EQ(named["lwlrap"], j["lwlrap"]);
}

TEST_F(EvalTest, ClipMetadataSecondaryLabelsOutsideTheColumnsFollowTheLabelPolicy) {
  const std::string metadata =
      "primary_label,secondary_labels,filename\n"
      "a,['zz'],a/XC1.ogg\n"
      "b,[],b/XC2.ogg\n";
  const std::string predictions = "row_id,a,b\na/XC1,0.9,0.1\nb/XC2,0.2,0.7\n";
  EXPECT_EQ(eval_error(metadata, predictions), "error: truth labels that are not columns of " +
                                                   path("sub.csv") + ": zz (1 row, first at " +
                                                   path("truth.csv") +
                                                   ":2); --ignore-unknown-labels drops them");
  const nlohmann::json j = eval_json(metadata, predictions, {"--ignore-unknown-labels"});
  EXPECT_DOUBLE_EQ(j["macro_roc_auc"].get<double>(), 1.0);
}

// --- RFCX train_tp / train_fp as truth: partial labels ----------------------------------------

// Classes s0 s1 s2 (recording_id header, as Kaggle's). Known cells (P present, N absent,
// ? unknown) and scores:
//   r1  s0 P 0.8   s1 N 0.3   s2 ? 0.9
//   r2  s0 N 0.6   s1 P 0.7   s2 N 0.2
//   r3  s0 P 0.4   s1 N 0.5   s2 P 0.9
//   r4  s0 ? 0.95  s1 P 0.6   s2 N 0.1
// By hand, on known cells only:
//   s0: P 0.8, 0.4; N 0.6 → AUC 1/2, AP (1 + 2/3)/2 = 5/6; s1 and s2 separate: AUC 1, AP 1
//   padded AP s0: 5/7 + 1/7 + (1/7)(7/8) = 55/56
//   LWLRAP: r1 1 (the unknown 0.9 does not outrank s0), r2 1, r3 1 and 2/3, r4 1 → 14/15
//   at 0.5: s0 tp 1 fp 1 fn 1 → 1/2, s1 tp 2 fp 1 → 4/5, s2 → 1; pooled tp 4 fp 2 fn 1 → 8/11
const std::string kRfcxHeader = "recording_id,species_id,songtype_id,t_min,f_min,t_max,f_max\n";
const std::string kTruePositives = kRfcxHeader +
                                   "r1,0,1,1,100,2,200\n"
                                   "r2,1,1,1,100,2,200\n"
                                   "r3,0,1,1,100,2,200\n"
                                   "r3,2,4,5,100,6,200\n"
                                   "r4,1,1,1,100,2,200\n";
const std::string kFalsePositives = kRfcxHeader +
                                    "r1,1,1,1,100,2,200\n"
                                    "r2,0,1,1,100,2,200\n"
                                    "r2,2,1,1,100,2,200\n"
                                    "r3,1,1,1,100,2,200\n"
                                    "r4,2,1,1,100,2,200\n";
const std::string kRfcxPredictions =
    "recording_id,s0,s1,s2\n"
    "r4,0.95,0.6,0.1\n"
    "r3,0.4,0.5,0.9\n"
    "r2,0.6,0.7,0.2\n"
    "r1,0.8,0.3,0.9\n";

TEST_F(EvalTest, RfcxScoresOnlyTheKnownCells) {
  const nlohmann::json j = eval_json(kTruePositives, kRfcxPredictions,
                                     {"--truth-fp", write("train_fp.csv", kFalsePositives)});
  EXPECT_EQ(j["truth_format"], "rfcx");
  EXPECT_EQ(j["truth_fp"], path("train_fp.csv"));
  EXPECT_EQ(j["rows"], 4);
  EXPECT_EQ(j["cells"], 12);
  EXPECT_EQ(j["known_cells"], 10);
  EXPECT_EQ(j["classes_scored"], 3);
  EXPECT_DOUBLE_EQ(j["macro_roc_auc"].get<double>(), (0.5 + 1 + 1) / 3);
  EXPECT_DOUBLE_EQ(j["padded_cmap"].get<double>(), (55.0 / 56 + 1 + 1) / 3);
  EXPECT_DOUBLE_EQ(j["lwlrap"].get<double>(), 14.0 / 15);
  EXPECT_DOUBLE_EQ(j["micro_f1"].get<double>(), 8.0 / 11);
  EXPECT_DOUBLE_EQ(j["macro_f1"].get<double>(), (0.5 + 0.8 + 1) / 3);
  EXPECT_DOUBLE_EQ(j["top1_accuracy"].get<double>(), 1.0);
  const auto& s0 = j["per_class"][0];
  EXPECT_EQ(s0["positives"], 2);
  EXPECT_EQ(s0["negatives"], 1);
  EXPECT_DOUBLE_EQ(s0["average_precision"].get<double>(), 5.0 / 6);
}

TEST_F(EvalTest, RfcxTableSaysHowManyCellsAreKnown) {
  const auto r = run_chorus({"eval", "--truth", write("train_tp.csv", kTruePositives), "--truth-fp",
                             write("train_fp.csv", kFalsePositives), "--predictions",
                             write("sub.csv", kRfcxPredictions)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::string& line : std::vector<std::string>{
           "truth        " + path("train_tp.csv") + " (rfcx)\n",
           "truth fp     " + path("train_fp.csv") + "\n",
           "known cells      10        of 12: the rest are unknown and scored by no metric\n",
           "LWLRAP           0.9333 "})
    EXPECT_NE(r.out.find(line), std::string::npos) << "missing: " << line << "\n" << r.out;
}

TEST_F(EvalTest, RfcxWithoutFalsePositivesHasNoNegativesToRankAgainst) {
  // Every known cell is a presence: LWLRAP is 1 whatever the scores, and no class has a ROC
  // curve, so the command refuses rather than report a meaningless number.
  EXPECT_EQ(eval_error(kTruePositives, kRfcxPredictions),
            "error: " + path("truth.csv") +
                ": every known cell is a presence, so no metric can rank presences above "
                "absences (--truth-fp train_fp.csv gives the absences)");
}

TEST_F(EvalTest, TruthFormatErrors) {
  EXPECT_EQ(eval_error("row_id,birds\ns_5,a\n", kPredictions),
            "error: " + path("truth.csv") +
                ": not a truth table: expected the columns row_id and labels (soundscape), or "
                "primary_label and filename (metadata), or recording_id and species_id (rfcx) "
                "(columns: row_id, birds)");
  const auto fp = run_chorus({"eval", "--truth", write("truth.csv", kTruth), "--truth-fp",
                              write("train_fp.csv", kFalsePositives), "--predictions",
                              write("sub.csv", kPredictions)});
  EXPECT_EQ(fp.exit_code, 2);
  EXPECT_EQ(fp.err.substr(0, fp.err.rfind('\n')),
            "error: " + path("train_fp.csv") +
                ": a false-positive table goes with RFCX truth, "
                "but " +
                path("truth.csv") + " is read as soundscape");
  const auto named = run_chorus({"eval", "--truth", path("truth.csv"), "--truth-format", "rfcx",
                                 "--predictions", path("sub.csv")});
  EXPECT_EQ(named.exit_code, 2);
  EXPECT_EQ(named.err.substr(0, named.err.rfind('\n')),
            "error: " + path("truth.csv") +
                ": missing column 'recording_id' (columns: row_id, soundscape_id, end_second, "
                "labels, background)");
  const auto bad = run_chorus({"eval", "--truth", path("truth.csv"), "--truth-format", "kaggle",
                               "--predictions", path("sub.csv")});
  EXPECT_NE(bad.exit_code, 0);
}

// --- The real soundscape labels --------------------------------------------------------------

// The target classes of the esc50_dev soundscapes, as taxonomy.csv lists them.
std::vector<std::string> target_classes() {
  const formats::CsvTable taxonomy =
      formats::CsvTable::read(testing::shared_data() / "esc50_dev/taxonomy.csv");
  std::vector<std::string> classes;
  for (std::size_t row = 0; row < taxonomy.rows(); ++row)
    if (taxonomy.at(row, taxonomy.column("soundscape_role")) == "target")
      classes.push_back(taxonomy.at(row, taxonomy.column("primary_label")));
  return classes;
}

// A submission for every truth row: score(is the class a label of the row?) per class.
template <typename Score>
void write_submission(const std::filesystem::path& path, const std::vector<std::string>& row_ids,
                      const std::vector<std::vector<std::string>>& row_labels,
                      const std::vector<std::string>& classes, Score score) {
  std::vector<std::string> header = {"row_id"};
  header.insert(header.end(), classes.begin(), classes.end());
  std::vector<std::vector<std::string>> rows;
  for (std::size_t row = 0; row < row_ids.size(); ++row) {
    std::vector<std::string> fields = {row_ids[row]};
    for (const std::string& cls : classes) {
      const auto& labels = row_labels[row];
      fields.push_back(
          fmt::format("{}", score(std::find(labels.begin(), labels.end(), cls) != labels.end())));
    }
    rows.push_back(std::move(fields));
  }
  formats::write_csv(path, header, rows);
}

// Raven boxes over the predictions' chunks give kTruth's labels: s_5 a; s_10 b (a 0.1 s call:
// half of it is enough); s_15 b (1 s of a box whose 0.2 s in s_10 is too little) and a; s_20
// nothing. The metrics are then the soundscape truth's, from a folder of per-recording tables,
// from one table naming its files (Begin Path) and from auto-detection.
TEST_F(EvalTest, RavenBoxesLabelTheChunksTheyOverlap) {
  const std::string header =
      "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\t"
      "High Freq (Hz)\tSpecies";
  const std::string boxes =
      "1\tSpectrogram 1\t1\t1.0\t3.0\t500\t4000\ta\n"
      "2\tSpectrogram 1\t1\t9.8\t11.0\t500\t4000\tb\n"
      "3\tSpectrogram 1\t1\t6.0\t6.1\t500\t4000\tb\n"
      "4\tSpectrogram 1\t1\t12.0\t14.0\t500\t4000\ta\n"
      "5\tSpectrogram 1\t1\t4.85\t7.0\t500\t4000\tb\n";  // 0.15 s in s_5: not there
  std::filesystem::create_directories(dir_ / "tables");
  write("tables/s.selections.txt", header + "\n" + boxes);
  const auto metrics = [](const nlohmann::json& j) {
    std::vector<double> values;
    for (const char* key :
         {"macro_roc_auc", "padded_cmap", "lwlrap", "micro_f1", "macro_f1", "top1_accuracy"})
      values.push_back(j.at(key).get<double>());
    return values;
  };
  const auto expected = metrics(eval_json(kTruth, kPredictions));
  const auto raven = [&](const std::string& truth) {
    const auto r = run_chorus(
        {"eval", "--truth", truth, "--predictions", write("sub.csv", kPredictions), "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json::object();
  };
  const auto folder = raven(path("tables"));
  EXPECT_EQ(folder.value("truth_format", ""), "raven");
  EXPECT_EQ(metrics(folder), expected);

  // One table over files: each row names its file.
  std::string named = header + "\tBegin Path\n";
  std::istringstream rows(boxes);
  for (std::string line; std::getline(rows, line);) named += line + "\t/data/site/s.wav\n";
  EXPECT_EQ(metrics(raven(write("all.selections.txt", named))), expected);

  // A box of a recording the predictions do not have.
  write("tables/t.selections.txt", header + "\n1\tSpectrogram 1\t1\t0\t1\t0\t1000\ta\n");
  const auto stray = run_chorus({"eval", "--truth", path("tables"), "--truth-format", "raven",
                                 "--predictions", path("sub.csv")});
  EXPECT_EQ(stray.exit_code, 2);
  EXPECT_NE(stray.err.find("t.selections.txt:2: the selection's recording 't' has no rows in the "
                           "predictions (their recordings: s)"),
            std::string::npos)
      << stray.err;
}

TEST_F(EvalTest, RealSoundscapeLabels) {
  if (!testing::have_shared_data()) GTEST_SKIP() << "no shared data at " << testing::shared_data();
  const auto truth_path = testing::shared_data() / "esc50_dev/soundscape_labels.csv";
  const formats::SoundscapeLabels truth = formats::read_soundscape_labels(truth_path);
  const std::vector<std::string> classes = target_classes();
  ASSERT_EQ(classes.size(), 12u);
  const auto eval = [&](const std::string& name) {
    const auto r = run_chorus({"eval", "--truth", truth_path.string(), "--predictions", path(name),
                               "--json", "--plot", path(name + ".png")});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json::object();
  };

  write_submission(path("perfect.csv"), truth.row_ids, truth.labels, classes,
                   [](bool y) { return y ? 1.0 : 0.0; });
  const auto perfect = eval("perfect.csv");
  EXPECT_EQ(perfect["rows"], truth.row_ids.size());
  EXPECT_EQ(perfect["classes"], 12);
  EXPECT_EQ(perfect["classes_scored"], 12);  // every target class occurs in some chunk
  for (const char* key :
       {"macro_roc_auc", "padded_cmap", "lwlrap", "micro_f1", "macro_f1", "top1_accuracy"})
    EXPECT_DOUBLE_EQ(perfect[key].get<double>(), 1.0) << key;

  write_submission(path("inverted.csv"), truth.row_ids, truth.labels, classes,
                   [](bool y) { return y ? 0.0 : 1.0; });
  const auto inverted = eval("inverted.csv");
  EXPECT_DOUBLE_EQ(inverted["macro_roc_auc"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(inverted["top1_accuracy"].get<double>(), 0.0);
  EXPECT_LT(inverted["lwlrap"].get<double>(), 0.3);

  std::mt19937 rng(5);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  write_submission(path("random.csv"), truth.row_ids, truth.labels, classes,
                   [&](bool) { return uniform(rng); });
  const auto random = eval("random.csv");
  EXPECT_NEAR(random["macro_roc_auc"].get<double>(), 0.5, 0.15);
  EXPECT_LT(random["lwlrap"].get<double>(), perfect["lwlrap"].get<double>());
}

// The real esc50_dev train_metadata.csv (extra columns: type, fold, duration_s …) is recognised
// as clip metadata, and a submission keyed by filename without extension scores its clips.
TEST_F(EvalTest, RealClipMetadata) {
  if (!testing::have_shared_data()) GTEST_SKIP() << "no shared data at " << testing::shared_data();
  const auto truth_path = testing::shared_data() / "esc50_dev/train_metadata.csv";
  const formats::ClipMetadata metadata = formats::ClipMetadata::read(truth_path);
  std::vector<std::string> row_ids, classes;
  std::vector<std::vector<std::string>> labels;
  for (const formats::ClipRecord& clip : metadata.records) {
    row_ids.push_back(formats::clip_row_id(clip.filename));
    labels.push_back(clip.secondary_labels);
    labels.back().push_back(clip.primary_label);
    for (const std::string& label : labels.back())
      if (std::find(classes.begin(), classes.end(), label) == classes.end())
        classes.push_back(label);
  }
  write_submission(path("perfect.csv"), row_ids, labels, classes,
                   [](bool y) { return y ? 0.9 : 0.1; });
  const auto r = run_chorus(
      {"eval", "--truth", truth_path.string(), "--predictions", path("perfect.csv"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["truth_format"], "metadata");
  EXPECT_EQ(j["rows"], metadata.records.size());
  EXPECT_EQ(j["classes"], classes.size());
  EXPECT_EQ(j["known_cells"], metadata.records.size() * classes.size());
  for (const char* key :
       {"macro_roc_auc", "padded_cmap", "lwlrap", "micro_f1", "macro_f1", "top1_accuracy"})
    EXPECT_DOUBLE_EQ(j[key].get<double>(), 1.0) << key;
}

}  // namespace
}  // namespace chorus
