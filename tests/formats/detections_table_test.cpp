// The detections table of `chorus predict`, read back for one recording: its rows, the
// recording matched by file or by name, and errors that name the file and the line.

#include "formats/detections_table.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "support/test_support.hpp"

namespace chorus::formats {
namespace {

using testing::error_message;
using testing::write_text;

constexpr const char* kHeader = "recording,class,start_s,end_s,score\n";

std::vector<std::string> classes_of(const std::vector<DetectionRow>& rows) {
  std::vector<std::string> out;
  for (const DetectionRow& row : rows) out.push_back(row.cls);
  return out;
}

TEST(DetectionsTable, ReadsEveryRowWithItsLine) {
  testing::TempDir dir;
  const auto path = write_text(dir / "detections.csv", std::string(kHeader) +
                                                           "dir/a.ogg,amerob,0.000,10.000,0.9\n"
                                                           "\n"
                                                           "\"dir/b, c.ogg\",gowwar,5,7.5,0.25\n");
  const std::vector<DetectionRow> rows = read_detections_csv(path);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].recording, "dir/a.ogg");
  EXPECT_EQ(rows[0].cls, "amerob");
  EXPECT_EQ(rows[0].start_seconds, 0.0);
  EXPECT_EQ(rows[0].end_seconds, 10.0);
  EXPECT_EQ(rows[0].score, 0.9);
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_EQ(rows[1].recording, "dir/b, c.ogg");
  EXPECT_EQ(rows[1].end_seconds, 7.5);
  EXPECT_EQ(rows[1].line, 4);
}

TEST(DetectionsTable, ErrorsNameFileLineAndProblem) {
  testing::TempDir dir;
  const auto path = dir / "detections.csv";
  const std::string p = path.string();
  const auto error = [&](const std::string& rows, const std::string& header = kHeader) {
    write_text(path, header + rows);
    return error_message([&] { read_detections_csv(path); });
  };
  EXPECT_EQ(error("a.ogg,amerob,0,5,0.9\n", "recording,class,start_s,end,score\n"),
            p + ": missing column 'end_s' (columns: recording, class, start_s, end, score)");
  EXPECT_EQ(error("a.ogg,amerob,0,5,0.9\na.ogg,amerob,5,10\n"),
            p + ":3: expected 5 fields (as in the header), found 4");
  EXPECT_EQ(error("a.ogg,amerob,0,5,0.9\na.ogg,amerob,five,10,0.9\n"),
            p + ":3: column 'start_s': 'five' is not a finite number");
  EXPECT_EQ(error("a.ogg,amerob,0,5,nan\n"),
            p + ":2: column 'score': 'nan' is not a finite number");
  EXPECT_EQ(error("a.ogg,,0,5,0.9\n"), p + ":2: column 'class' is empty");
  EXPECT_EQ(error("a.ogg,amerob,5,5,0.9\n"), p + ":2: end_s 5 is not after start_s 5");
  EXPECT_EQ(error("a.ogg,amerob,-1,5,0.9\n"), p + ":2: start_s -1 is negative");
  EXPECT_EQ(error("a.ogg,\"amerob,0,5,0.9\n").rfind(p + ":2: malformed CSV", 0), 0u);
}

TEST(DetectionsTable, RowsOfOneRecordingBySameFileOrByName) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "site");
  const auto a = write_text(dir / "site" / "a.ogg", "not audio; only the path matters here");
  // Written by a run in `dir`, read from anywhere: an absolute path names the same file.
  const std::vector<DetectionRow> rows = {
      {.recording = a.string(), .cls = "amerob"},
      {.recording = (dir / "site" / "b.ogg").string(), .cls = "gowwar"},
      {.recording = (dir / "site" / "." / "a.ogg").string(), .cls = "norcar"}};
  EXPECT_EQ(classes_of(detections_of(rows, a, "d.csv")),
            (std::vector<std::string>{"amerob", "norcar"}));

  // A table written elsewhere, whose paths do not resolve here, matches by file name.
  const std::vector<DetectionRow> elsewhere = {{.recording = "other/site/a.ogg", .cls = "amerob"},
                                               {.recording = "other/site/b.ogg", .cls = "gowwar"}};
  EXPECT_EQ(classes_of(detections_of(elsewhere, a, "d.csv")), (std::vector<std::string>{"amerob"}));
  EXPECT_TRUE(detections_of(elsewhere, dir / "c.ogg", "d.csv").empty());

  // ... unless two recordings share the name.
  const std::vector<DetectionRow> ambiguous = {{.recording = "x/a.ogg", .cls = "amerob"},
                                               {.recording = "y/a.ogg", .cls = "gowwar"}};
  EXPECT_EQ(error_message([&] { detections_of(ambiguous, a, "d.csv"); }),
            "d.csv: 2 recordings are named a.ogg (x/a.ogg, y/a.ogg) and none is " + a.string() +
                ": run from the directory that chorus predict ran in");
}

}  // namespace
}  // namespace chorus::formats
