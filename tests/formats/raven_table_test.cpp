// Raven selection tables: the common layouts, the label column found by name, and bad rows.

#include "formats/raven_table.hpp"

#include <gtest/gtest.h>

#include "formats/reader_testing.hpp"

namespace chorus {
namespace {

const std::string kHeader =
    "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\t";

class RavenTest : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& text) {
    return testing::write_file(dir_, "x.Table.1.selections.txt", text);
  }
  std::string error_reading(const std::string& text, std::string_view label_column = {}) {
    const auto path = write(text);
    return testing::format_error_in(path, [&] { formats::RavenTable::read(path, label_column); });
  }

  testing::TempDir dir_;
};

TEST_F(RavenTest, ReadsSelectionsAndSkipsWaveformRows) {
  const auto path = write(kHeader + "Species\tNotes\r\n" +
                          "1\tSpectrogram 1\t1\t0.5\t2.25\t4000\t8000.5\tgowwar\tfirst, clear\r\n" +
                          "1\tWaveform 1\t1\t0.5\t2.25\t0\t0\tgowwar\tfirst, clear\r\n" +
                          "2\tSpectrogram 1\t1\t3\t4\t2500\t9000\tmésange\t\r\n");
  const formats::RavenTable table = formats::RavenTable::read(path);
  EXPECT_EQ(table.label_column, "Species");
  ASSERT_EQ(table.selections.size(), 2u);
  const formats::RavenSelection& s = table.selections[0];
  EXPECT_DOUBLE_EQ(s.box.begin_s, 0.5);
  EXPECT_DOUBLE_EQ(s.box.end_s, 2.25);
  EXPECT_DOUBLE_EQ(s.box.low_hz, 4000);
  EXPECT_DOUBLE_EQ(s.box.high_hz, 8000.5);
  EXPECT_EQ(s.label, "gowwar");
  EXPECT_EQ(s.line, 2);
  EXPECT_TRUE(s.begin_file.empty());
  EXPECT_FALSE(s.file_offset_s.has_value());
  EXPECT_DOUBLE_EQ(s.box_in_file().begin_s, 0.5);
  EXPECT_EQ(table.selections[1].label, "mésange");
  EXPECT_EQ(table.selections[1].line, 4);
}

TEST_F(RavenTest, FindsTheLabelColumnByItsCommonNames) {
  for (const std::string name : {"Species", "species", "Annotation", "Label", "label", "Class"}) {
    const auto path = write(kHeader + name + "\n1\tSpectrogram 1\t1\t0\t1\t10\t20\tx\n");
    const formats::RavenTable table = formats::RavenTable::read(path);
    EXPECT_EQ(table.label_column, name);
    EXPECT_EQ(table.selections.at(0).label, "x");
  }
  const auto path =
      write(kHeader + "Species\tCall Type\n1\tSpectrogram 1\t1\t0\t1\t10\t20\tx\tsong\n");
  EXPECT_EQ(formats::RavenTable::read(path, "Call Type").selections.at(0).label, "song");
}

TEST_F(RavenTest, SelectionsOverFileSequences) {
  const auto path = write(kHeader + "Begin File\tFile Offset (s)\tSpecies\n" +
                          "1\tSpectrogram 1\t1\t125.5\t127\t1000\t3000\tREC_0002.wav\t5.5\tx\n");
  const formats::RavenSelection s = formats::RavenTable::read(path).selections.at(0);
  EXPECT_EQ(s.begin_file, "REC_0002.wav");
  EXPECT_EQ(s.file_offset_s, 5.5);
  const formats::TimeFrequencyBox in_file = s.box_in_file();
  EXPECT_DOUBLE_EQ(in_file.begin_s, 5.5);
  EXPECT_DOUBLE_EQ(in_file.end_s, 7);
  EXPECT_DOUBLE_EQ(in_file.low_hz, 1000);
  EXPECT_DOUBLE_EQ(in_file.high_hz, 3000);
}

TEST_F(RavenTest, HeaderOnlyTableHasNoSelections) {
  EXPECT_TRUE(formats::RavenTable::read(write(kHeader + "Species\n")).selections.empty());
}

TEST_F(RavenTest, BadTablesNameTheLine) {
  const std::string header = kHeader + "Species\n";
  const std::string good = "1\tSpectrogram 1\t1\t0.5\t1\t100\t200\tx\n";
  EXPECT_EQ(error_reading(kHeader + "Notes\n" + good),
            "<p>: missing column (one of 'Species', 'species', 'Annotation', 'Label', 'label', "
            "'Class', 'Species Code', 'Common Name') (columns: Selection, View, Channel, Begin "
            "Time (s), End Time (s), Low Freq "
            "(Hz), High Freq (Hz), Notes)");
  EXPECT_EQ(error_reading(header + good, "Call Type"),
            "<p>: missing column 'Call Type' (columns: Selection, View, Channel, Begin Time (s), "
            "End Time (s), Low Freq (Hz), High Freq (Hz), Species)");
  EXPECT_EQ(error_reading(header + good + "2\tSpectrogram 1\t1\t5\t4.5\t100\t200\tx\n"),
            "<p>:3: 'Begin Time (s)' 5 is not below 'End Time (s)' 4.5");
  EXPECT_EQ(error_reading(header + "2\tSpectrogram 1\t1\t5\t6\t300\t200\tx\n"),
            "<p>:2: 'Low Freq (Hz)' 300 is not below 'High Freq (Hz)' 200");
  EXPECT_EQ(error_reading(header + "2\tSpectrogram 1\t1\t5\t6\t100\t200\t\n"),
            "<p>:2: column 'Species' is empty");
  EXPECT_EQ(error_reading(header + "2\tSpectrogram 1\t1\t5,5\t6\t100\t200\tx\n"),
            "<p>:2: column 'Begin Time (s)': '5,5' is not a finite number");
  EXPECT_EQ(error_reading(kHeader + "Begin File\tFile Offset (s)\tSpecies\n" +
                          "1\tSpectrogram 1\t1\t0\t1\t10\t20\ta.wav\t-2\tx\n"),
            "<p>:2: column 'File Offset (s)': -2 is negative");
  // A comma-separated file read as a Raven table has one column.
  EXPECT_EQ(
      error_reading("Begin Time (s),End Time (s),Species\n0,1,x\n").rfind("<p>: missing column", 0),
      0u);
  EXPECT_EQ(error_reading(""), "<p>: empty file");
}

}  // namespace
}  // namespace chorus
