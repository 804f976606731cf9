// Truth and predictions aligned by row_id and class name, whatever order either file uses.

#include "data/evaluation_set.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace chorus::data {
namespace {

using testing::error_message;
using testing::write_text;

class EvaluationSetTest : public ::testing::Test {
 protected:
  EvaluationSet align(const std::string& truth_csv, const std::string& predictions_csv) {
    return align_predictions(
        formats::truth_from_soundscape_labels(
            formats::read_soundscape_labels(write_text(truth_path(), truth_csv))),
        formats::read_score_table(write_text(predictions_path(), predictions_csv)));
  }
  std::string align_error(const std::string& truth_csv, const std::string& predictions_csv) {
    return error_message([&] { align(truth_csv, predictions_csv); });
  }
  std::filesystem::path truth_path() const { return dir_ / "truth.csv"; }
  std::filesystem::path predictions_path() const { return dir_ / "sub.csv"; }

  testing::TempDir dir_;
};

const std::string kTruth =
    "row_id,labels\n"
    "s_5,a\n"
    "s_10,b\n"
    "s_15,b a\n"
    "s_20,\n";

TEST_F(EvaluationSetTest, RowsFollowTheTruthAndColumnsThePredictions) {
  // Rows shuffled, classes in another order than the truth mentions them.
  const EvaluationSet set = align(kTruth,
                                  "row_id,b,a\n"
                                  "s_20,0.5,0.1\n"
                                  "s_10,0.8,0.85\n"
                                  "s_5,0.2,0.9\n"
                                  "s_15,0.4,0.6\n");
  EXPECT_EQ(set.classes, (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(set.row_ids, (std::vector<std::string>{"s_5", "s_10", "s_15", "s_20"}));
  EXPECT_EQ(set.scores, (std::vector<double>{0.2, 0.9, 0.8, 0.85, 0.4, 0.6, 0.5, 0.1}));
  EXPECT_EQ(set.truth, (std::vector<double>{0, 1, 1, 0, 1, 1, 0, 0}));
  EXPECT_EQ(set.mask, std::vector<double>(8, 1.0));  // fully labelled: every cell known
  EXPECT_EQ(set.known_cells(), 8u);
  EXPECT_TRUE(set.unknown_labels.empty());
}

TEST_F(EvaluationSetTest, ClassesWithoutTruthLabelsAreAllNegative) {
  const EvaluationSet set =
      align("row_id,labels\ns_5,a\ns_10,\n", "row_id,a,z\ns_10,0,1\ns_5,1,0\n");
  EXPECT_EQ(set.truth, (std::vector<double>{1, 0, 0, 0}));
}

TEST_F(EvaluationSetTest, UnknownLabelsAreCountedWithTheirFirstLine) {
  const EvaluationSet set = align("row_id,labels\ns_5,a rain\ns_10,wind\ns_15,rain b\n",
                                  "row_id,a,b\ns_5,1,0\ns_10,0,0\ns_15,0,1\n");
  EXPECT_EQ(set.truth, (std::vector<double>{1, 0, 0, 0, 0, 1}));
  ASSERT_EQ(set.unknown_labels.size(), 2u);
  EXPECT_EQ(set.unknown_labels[0].name, "rain");
  EXPECT_EQ(set.unknown_labels[0].rows, 2u);
  EXPECT_EQ(set.unknown_labels[0].first_line, 2);
  EXPECT_EQ(set.unknown_labels[1].name, "wind");
  EXPECT_EQ(describe_unknown_labels(set.unknown_labels, "t.csv"),
            "rain (2 rows, first at t.csv:2), wind (1 row, first at t.csv:3)");
}

// RFCX: present and absent species are known, the rest are not; a submission keyed by
// recording_id with columns s0, s1 … meets species ids by name.
TEST_F(EvaluationSetTest, PartialTruthMasksTheUnmentionedCells) {
  formats::TruthLabels truth;
  truth.path = "train_tp.csv";
  truth.unlisted = formats::UnlistedClasses::unknown;
  truth.rows.push_back({.id = "r1", .present = {{"s1", 2}}, .absent = {"s0", "s7"}});
  truth.rows.push_back({.id = "r2", .present = {{"s2", 3}, {"s9", 4}}, .absent = {}});
  const formats::ScoreTable predictions = formats::read_score_table(
      write_text(predictions_path(), "recording_id,s2,s0,s1\nr2,0.1,0.2,0.3\nr1,0.4,0.5,0.6\n"));
  const EvaluationSet set = align_predictions(truth, predictions);
  EXPECT_EQ(set.row_ids, (std::vector<std::string>{"r1", "r2"}));
  EXPECT_EQ(set.scores, (std::vector<double>{0.4, 0.5, 0.6, 0.1, 0.2, 0.3}));
  EXPECT_EQ(set.truth, (std::vector<double>{0, 0, 1, 1, 0, 0}));
  // r1: s2 unknown, s0 absent, s1 present (s7 is no column: nothing to score); r2: only s2.
  EXPECT_EQ(set.mask, (std::vector<double>{0, 1, 1, 1, 0, 0}));
  EXPECT_EQ(set.known_cells(), 3u);
  ASSERT_EQ(set.unknown_labels.size(), 1u);  // a present species must be a column
  EXPECT_EQ(set.unknown_labels[0].name, "s9");
  EXPECT_EQ(set.unknown_labels[0].first_line, 4);
}

TEST_F(EvaluationSetTest, RowsMissingOnEitherSideAreErrorsNamingThem) {
  const std::string t = truth_path().string(), p = predictions_path().string();
  EXPECT_EQ(align_error(kTruth, "row_id,a,b\ns_5,0,0\ns_10,0,0\ns_15,0,0\ns_20,0,0\ns_25,0,0\n"),
            p + ": 1 of 5 rows are not in the truth " + t + ": s_25");
  EXPECT_EQ(align_error(kTruth, "row_id,a,b\ns_10,0,0\n"),
            t + ": 3 of 4 truth rows have no prediction in " + p + ": s_5, s_15, s_20");
  std::string many = "row_id,a\n";
  for (int i = 1; i <= 7; ++i) many += "x_" + std::to_string(i) + ",0\n";
  EXPECT_EQ(align_error("row_id,labels\nx_1,a\n", many),
            p + ": 6 of 7 rows are not in the truth " + t + ": x_2, x_3, x_4, x_5, x_6, ...");
}

}  // namespace
}  // namespace chorus::data
