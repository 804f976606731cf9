// Kaggle submissions and prediction files: row_id plus one finite score per class column.

#include "formats/score_table.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace chorus::formats {
namespace {

using testing::error_message;
using testing::write_text;

TEST(ScoreTable, ReadsClassColumnsInFileOrder) {
  testing::TempDir dir;
  // row_id need not come first; logits and exponents are scores like any other.
  const auto path = write_text(dir / "sub.csv",
                               "dog,row_id,cat\r\n"
                               "0.25,a_5,1e-3\r\n"
                               "-2.5,a_10,1\r\n");
  const ScoreTable t = read_score_table(path);
  EXPECT_EQ(t.classes, (std::vector<std::string>{"dog", "cat"}));
  EXPECT_EQ(t.row_ids, (std::vector<std::string>{"a_5", "a_10"}));
  EXPECT_EQ(t.lines, (std::vector<int>{2, 3}));
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.score(0, 0), 0.25);
  EXPECT_EQ(t.score(0, 1), 1e-3);
  EXPECT_EQ(t.score(1, 0), -2.5);
  EXPECT_EQ(t.score(1, 1), 1.0);
}

// RFCX submissions key each recording by recording_id, with one column per species.
TEST(ScoreTable, RecordingIdKeysRfcxSubmissions) {
  testing::TempDir dir;
  const auto path = write_text(dir / "sub.csv", "recording_id,s0,s1\nr1,0.5,0.25\nr2,1,0\n");
  const ScoreTable t = read_score_table(path);
  EXPECT_EQ(t.classes, (std::vector<std::string>{"s0", "s1"}));
  EXPECT_EQ(t.row_ids, (std::vector<std::string>{"r1", "r2"}));
  EXPECT_EQ(t.score(0, 1), 0.25);
}

TEST(ScoreTable, ErrorsNameFileLineAndProblem) {
  testing::TempDir dir;
  const auto path = dir / "sub.csv";
  const std::string p = path.string();
  const auto error = [&](const std::string& text) {
    write_text(path, text);
    return error_message([&] { read_score_table(path); });
  };
  EXPECT_EQ(error("id,dog\na_5,0.1\n"),
            p + ": missing column (one of 'row_id', 'recording_id') (columns: id, dog)");
  EXPECT_EQ(error("row_id,recording_id,dog\na_5,a,0.1\n"),
            p + ":1: both row_id and recording_id columns; a submission is keyed by one");
  EXPECT_EQ(error("recording_id,s0\nr1,0.1\nr1,0.2\n"),
            p + ":3: duplicated recording_id 'r1' (first on line 2)");
  EXPECT_EQ(error("recording_id,s0\n\"\",0.1\n"), p + ":2: empty recording_id");
  EXPECT_EQ(error("row_id,dog\na_5,0.1\na_5,0.2\n"),
            p + ":3: duplicated row_id 'a_5' (first on line 2)");
  EXPECT_EQ(error("row_id,dog,cat\na_5,0.1,0.2\na_10,nan,0.3\n"),
            p + ":3: column 'dog': 'nan' is not a finite number");
  EXPECT_EQ(error("row_id,dog,cat\na_5,0.1,inf\n"),
            p + ":2: column 'cat': 'inf' is not a finite number");
  EXPECT_EQ(error("row_id,dog\na_5,high\n"), p + ":2: column 'dog': 'high' is not a finite number");
  EXPECT_EQ(error("row_id,dog\na_5,\"\"\n"), p + ":2: column 'dog': '' is not a finite number");
  EXPECT_EQ(error("row_id,dog,cat\na_5,0.1,0.2\na_10,0.3\n"),
            p + ":3: expected 3 fields (as in the header), found 2");
  EXPECT_EQ(error("row_id,dog,dog\na_5,0.1,0.2\n"),
            p + ":1: column 'dog' appears twice (columns 2 and 3)");
  EXPECT_EQ(error("row_id,,cat\na_5,0.1,0.2\n"), p + ":1: column 2 has no name");
  EXPECT_EQ(error("row_id\na_5\n"), p + ": no class columns besides row_id");
  EXPECT_EQ(error("recording_id\nr1\n"), p + ": no class columns besides recording_id");
  EXPECT_EQ(error("row_id,dog\n"), p + ": no rows below the header");
}

}  // namespace
}  // namespace chorus::formats
