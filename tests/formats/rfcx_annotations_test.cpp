// RFCX train_tp.csv / train_fp.csv: boxes with their polarity, and checked edges.

#include "formats/rfcx_annotations.hpp"

#include <gtest/gtest.h>

#include "formats/reader_testing.hpp"

namespace chorus {
namespace {

const std::string kHeader = "recording_id,species_id,songtype_id,t_min,f_min,t_max,f_max\n";

class RfcxTest : public ::testing::Test {
 protected:
  std::string error_reading(const std::string& rows) {
    const auto path = testing::write_file(dir_, "train_tp.csv", kHeader + rows);
    return testing::format_error_in(
        path, [&] { formats::RfcxAnnotations::read(path, formats::RfcxKind::true_positives); });
  }

  testing::TempDir dir_;
};

TEST_F(RfcxTest, ReadsTruePositivesAndFalsePositives) {
  const auto tp = testing::write_file(dir_, "train_tp.csv",
                                      kHeader +
                                          "003bec244,14,1,44.544,2531.25,45.1307,5531.25\n"
                                          "006ab765f,23,1,39.9615,7235.16,46.0452,11283.4\n");
  const auto fp = testing::write_file(dir_, "train_fp.csv",
                                      kHeader + "00204008d,21,1,13.84,3281.25,14.9333,4125\n");
  const formats::RfcxAnnotations positives =
      formats::RfcxAnnotations::read(tp, formats::RfcxKind::true_positives);
  const formats::RfcxAnnotations negatives =
      formats::RfcxAnnotations::read(fp, formats::RfcxKind::false_positives);
  EXPECT_EQ(positives.path, tp.string());
  ASSERT_EQ(positives.annotations.size(), 2u);
  const formats::RfcxAnnotation& a = positives.annotations[1];
  EXPECT_EQ(a.recording_id, "006ab765f");
  EXPECT_EQ(a.species_id, 23);
  EXPECT_EQ(a.songtype_id, 1);
  EXPECT_DOUBLE_EQ(a.box.begin_s, 39.9615);
  EXPECT_DOUBLE_EQ(a.box.end_s, 46.0452);
  EXPECT_DOUBLE_EQ(a.box.low_hz, 7235.16);
  EXPECT_DOUBLE_EQ(a.box.high_hz, 11283.4);
  EXPECT_TRUE(a.positive);
  EXPECT_EQ(a.line, 3);
  ASSERT_EQ(negatives.annotations.size(), 1u);
  EXPECT_FALSE(negatives.annotations[0].positive);
  EXPECT_EQ(negatives.annotations[0].box.high_hz, 4125);

  const auto empty = testing::write_file(dir_, "none.csv", kHeader);
  EXPECT_TRUE(
      formats::RfcxAnnotations::read(empty, formats::RfcxKind::true_positives).annotations.empty());
}

TEST_F(RfcxTest, BadBoxesNameTheLine) {
  const std::string good = "003bec244,14,1,44.5,2531.25,45.1,5531.25\n";
  EXPECT_EQ(error_reading(good + "a,1,1,3.5,100,2,200\n"),
            "<p>:3: 't_min' 3.5 is not below 't_max' 2");
  EXPECT_EQ(error_reading("a,1,1,2,100,2,200\n"), "<p>:2: 't_min' 2 is not below 't_max' 2");
  EXPECT_EQ(error_reading("a,1,1,1,500,2,400\n"), "<p>:2: 'f_min' 500 is not below 'f_max' 400");
  EXPECT_EQ(error_reading("a,1,1,-1,100,2,200\n"), "<p>:2: column 't_min': -1 is negative");
  EXPECT_EQ(error_reading("a,1,1,1,-10,2,200\n"), "<p>:2: column 'f_min': -10 is negative");
  EXPECT_EQ(error_reading("a,1,1,1,100,1.2.3,200\n"),
            "<p>:2: column 't_max': '1.2.3' is not a finite number");
  EXPECT_EQ(error_reading("a,x,1,1,100,2,200\n"),
            "<p>:2: column 'species_id': 'x' is not an integer");
  EXPECT_EQ(error_reading("a,1.5,1,1,100,2,200\n"),
            "<p>:2: column 'species_id': '1.5' is not an integer");
  EXPECT_EQ(error_reading("a,-1,1,1,100,2,200\n"),
            "<p>:2: column 'species_id': -1 is not a non-negative id");
  EXPECT_EQ(error_reading(",1,1,1,100,2,200\n"), "<p>:2: column 'recording_id' is empty");
  EXPECT_EQ(error_reading("a,1,1,1,100,2\n"),
            "<p>:2: expected 7 fields (as in the header), found 6");

  const auto missing =
      testing::write_file(dir_, "m.csv", "recording_id,species_id,t_min,f_min,t_max,f_max\n");
  EXPECT_EQ(testing::format_error([&] {
              formats::RfcxAnnotations::read(missing, formats::RfcxKind::false_positives);
            }),
            missing.string() +
                ": missing column 'songtype_id' (columns: recording_id, species_id, " +
                "t_min, f_min, t_max, f_max)");
}

}  // namespace
}  // namespace chorus
