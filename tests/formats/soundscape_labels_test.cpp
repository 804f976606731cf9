// Soundscape truth labels: row_id and space-separated classes per chunk, and errors that name
// the file and the line.

#include "formats/soundscape_labels.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace chorus::formats {
namespace {

using testing::error_message;
using testing::write_text;
using Labels = std::vector<std::string>;

TEST(SoundscapeLabels, ReadsClassesPerChunkAndIgnoresOtherColumns) {
  testing::TempDir dir;
  const auto path = write_text(dir / "labels.csv",
                               "row_id,soundscape_id,end_second,labels,background\n"
                               "mix_00_5,mix_00,5,pig,wind\n"
                               "mix_00_10,mix_00,10,,wind rain\n"
                               "mix_00_15,mix_00,15,cow  crow cow,\n"  // repeated: counted once
                               "\n"
                               "mix_01_5,mix_01,5, dog ,\n");
  const SoundscapeLabels truth = read_soundscape_labels(path);
  EXPECT_EQ(truth.path, path.string());
  EXPECT_EQ(truth.row_ids, (Labels{"mix_00_5", "mix_00_10", "mix_00_15", "mix_01_5"}));
  ASSERT_EQ(truth.labels.size(), 4u);
  EXPECT_EQ(truth.labels[0], Labels{"pig"});
  EXPECT_EQ(truth.labels[1], Labels{});
  EXPECT_EQ(truth.labels[2], (Labels{"cow", "crow"}));
  EXPECT_EQ(truth.labels[3], Labels{"dog"});
  EXPECT_EQ(truth.lines, (std::vector<int>{2, 3, 4, 6}));
}

TEST(SoundscapeLabels, OnlyRowIdAndLabelsAreNeeded) {
  testing::TempDir dir;
  const auto path = write_text(dir / "labels.csv", "labels,row_id\nhen,a_5\n,a_10\n");
  const SoundscapeLabels truth = read_soundscape_labels(path);
  EXPECT_EQ(truth.row_ids, (Labels{"a_5", "a_10"}));
  EXPECT_EQ(truth.labels[0], Labels{"hen"});
}

TEST(SoundscapeLabels, ErrorsNameFileLineAndProblem) {
  testing::TempDir dir;
  const auto path = dir / "labels.csv";
  const std::string p = path.string();
  const auto error = [&](const std::string& text) {
    write_text(path, text);
    return error_message([&] { read_soundscape_labels(path); });
  };
  EXPECT_EQ(error("id,labels\na_5,dog\n"), p + ": missing column 'row_id' (columns: id, labels)");
  EXPECT_EQ(error("row_id,birds\na_5,dog\n"),
            p + ": missing column 'labels' (columns: row_id, birds)");
  EXPECT_EQ(error("row_id,labels\na_5,dog\na_10,\na_5,cat\n"),
            p + ":4: duplicated row_id 'a_5' (first on line 2)");
  EXPECT_EQ(error("row_id,labels\n,dog\n"), p + ":2: empty row_id");
  EXPECT_EQ(error("row_id,labels\na_5,dog\na_10\n"),
            p + ":3: expected 2 fields (as in the header), found 1");
  EXPECT_EQ(error("row_id,labels\n"), p + ": no rows below the header");
  EXPECT_EQ(error("row_id,soundscape_id,end_second,labels\na_5,a,5,dog\na_15,a,10,\n"),
            p + ":3: row_id 'a_15' does not match soundscape_id and end_second (expected 'a_10')");
}

}  // namespace
}  // namespace chorus::formats
