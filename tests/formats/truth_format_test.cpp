// Telling the truth formats apart by their columns, and reading each through read_truth.

#include "formats/truth_format.hpp"

#include <gtest/gtest.h>

#include "formats/reader_testing.hpp"

namespace chorus::formats {
namespace {

const std::string kRfcxHeader = "recording_id,species_id,songtype_id,t_min,f_min,t_max,f_max\n";

class TruthFormatTest : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    return testing::write_file(dir_, name, text);
  }
  std::string detect_error(const std::string& text) const {
    const auto path = write("truth.csv", text);
    return testing::format_error_in(path, [&] { detect_truth_format(path); });
  }

  testing::TempDir dir_;
};

TEST_F(TruthFormatTest, NamesRoundTrip) {
  for (const TruthFormat f : {TruthFormat::soundscape, TruthFormat::metadata, TruthFormat::rfcx})
    EXPECT_EQ(truth_format_from_name(truth_format_name(f)), f);
  EXPECT_EQ(truth_format_from_name("auto"), std::nullopt);
  EXPECT_EQ(truth_format_from_name("RFCX"), std::nullopt);
}

TEST_F(TruthFormatTest, DetectsEachFormatByItsColumns) {
  EXPECT_EQ(detect_truth_format(write("a.csv", "row_id,soundscape_id,labels\ns_5,s,pig\n")),
            TruthFormat::soundscape);
  EXPECT_EQ(detect_truth_format(write("b.csv", "primary_label,rating,filename\na,4,a/x.ogg\n")),
            TruthFormat::metadata);
  EXPECT_EQ(detect_truth_format(write("c.csv", kRfcxHeader + "r1,3,1,1,100,2,200\n")),
            TruthFormat::rfcx);
  // Header-only RFCX tables are annotation files too; read_truth decides whether that is enough.
  EXPECT_EQ(detect_truth_format(write("d.csv", kRfcxHeader)), TruthFormat::rfcx);
}

TEST_F(TruthFormatTest, UndecidableHeadersAreErrors) {
  EXPECT_EQ(detect_error("row_id,birds\ns_5,pig\n"),
            "<p>: not a truth table: expected the columns row_id and labels (soundscape), or "
            "primary_label and filename (metadata), or recording_id and species_id (rfcx) "
            "(columns: row_id, birds)");
  EXPECT_EQ(detect_error("row_id,labels,primary_label,filename\ns_5,a,a,a.ogg\n"),
            "<p>: the columns fit more than one truth format (soundscape, metadata); "
            "--truth-format names it");
}

TEST_F(TruthFormatTest, ReadsTheGivenOrDetectedFormat) {
  TruthFiles files;
  files.labels = write("train_metadata.csv", "primary_label,filename\namecro,amecro/XC1.ogg\n");
  const TruthLabels clips = read_truth(files);
  ASSERT_EQ(clips.rows.size(), 1u);
  EXPECT_EQ(clips.rows[0].id, "amecro/XC1");

  // A named format is read as that format, so its reader reports what is missing.
  files.format = TruthFormat::soundscape;
  EXPECT_EQ(testing::format_error_in(files.labels, [&] { read_truth(files); }),
            "<p>: missing column 'row_id' (columns: primary_label, filename)");

  files.labels = write("train_tp.csv", kRfcxHeader + "r1,3,1,1,100,2,200\n");
  files.rfcx_false_positives = write("train_fp.csv", kRfcxHeader + "r1,4,1,1,100,2,200\n");
  files.format = std::nullopt;
  const TruthLabels recordings = read_truth(files);
  EXPECT_EQ(recordings.unlisted, UnlistedClasses::unknown);
  ASSERT_EQ(recordings.rows.size(), 1u);
  EXPECT_EQ(recordings.rows[0].absent, std::vector<std::string>{"s4"});
}

TEST_F(TruthFormatTest, FalsePositivesGoOnlyWithRfcx) {
  TruthFiles files;
  files.labels = write("labels.csv", "row_id,labels\ns_5,pig\n");
  files.rfcx_false_positives = write("train_fp.csv", kRfcxHeader);
  EXPECT_EQ(testing::format_error_in(files.rfcx_false_positives, [&] { read_truth(files); }),
            "<p>: a false-positive table goes with RFCX truth, but " + files.labels.string() +
                " is read as soundscape");
}

}  // namespace
}  // namespace chorus::formats
