// The three truth formats brought to one TruthLabels: soundscape chunks, BirdCLEF clips keyed by
// their filename without the extension, RFCX recordings with present, absent and unknown
// species.

#include "formats/truth_labels.hpp"

#include <gtest/gtest.h>

#include "formats/reader_testing.hpp"

namespace chorus::formats {
namespace {

using Names = std::vector<std::string>;

Names present_names(const TruthRow& row) {
  Names names;
  for (const ClassMention& m : row.present) names.push_back(m.name);
  return names;
}

std::vector<int> present_lines(const TruthRow& row) {
  std::vector<int> lines;
  for (const ClassMention& m : row.present) lines.push_back(m.line);
  return lines;
}

const std::string kRfcxHeader = "recording_id,species_id,songtype_id,t_min,f_min,t_max,f_max\n";

class TruthLabelsTest : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    return testing::write_file(dir_, name, text);
  }
  TruthLabels rfcx(const std::string& tp_rows, const std::string* fp_rows) const {
    const RfcxAnnotations tp = RfcxAnnotations::read(write("train_tp.csv", kRfcxHeader + tp_rows),
                                                     RfcxKind::true_positives);
    if (fp_rows == nullptr) return truth_from_rfcx(tp, nullptr);
    const RfcxAnnotations fp = RfcxAnnotations::read(write("train_fp.csv", kRfcxHeader + *fp_rows),
                                                     RfcxKind::false_positives);
    return truth_from_rfcx(tp, &fp);
  }

  testing::TempDir dir_;
};

TEST_F(TruthLabelsTest, SoundscapeChunksAreFullyLabelled) {
  const auto path = write("labels.csv", "row_id,labels\ns_5,pig cow\ns_10,\n");
  const TruthLabels truth = truth_from_soundscape_labels(read_soundscape_labels(path));
  EXPECT_EQ(truth.path, path.string());
  EXPECT_EQ(truth.unlisted, UnlistedClasses::absent);
  ASSERT_EQ(truth.rows.size(), 2u);
  EXPECT_EQ(truth.rows[0].id, "s_5");
  EXPECT_EQ(present_names(truth.rows[0]), (Names{"pig", "cow"}));
  EXPECT_EQ(present_lines(truth.rows[0]), (std::vector<int>{2, 2}));
  EXPECT_TRUE(truth.rows[1].present.empty());
  EXPECT_TRUE(truth.rows[1].absent.empty());
}

TEST_F(TruthLabelsTest, ClipRowIdIsTheFilenameWithoutItsExtension) {
  EXPECT_EQ(clip_row_id("amecro/XC12345.ogg"), "amecro/XC12345");
  EXPECT_EQ(clip_row_id("XC109605.ogg"), "XC109605");          // BirdCLEF 2021: no directory
  EXPECT_EQ(clip_row_id("a.b/XC1.flac.ogg"), "a.b/XC1.flac");  // only the last extension
  EXPECT_EQ(clip_row_id("amecro/XC12345"), "amecro/XC12345");  // none to remove
  EXPECT_EQ(clip_row_id("amecro/.ogg"), "amecro/.ogg");        // a leading dot is not an extension
}

TEST_F(TruthLabelsTest, ClipsHoldTheirPrimaryAndSecondaryLabels) {
  const auto path = write("train_metadata.csv",
                          "primary_label,secondary_labels,filename\n"
                          "amecro,\"['amerob', 'amecro']\",amecro/XC1.ogg\n"
                          "amerob,[],amerob/XC2.ogg\n");
  const TruthLabels truth = truth_from_clip_metadata(ClipMetadata::read(path));
  EXPECT_EQ(truth.unlisted, UnlistedClasses::absent);
  ASSERT_EQ(truth.rows.size(), 2u);
  EXPECT_EQ(truth.rows[0].id, "amecro/XC1");
  EXPECT_EQ(present_names(truth.rows[0]), (Names{"amecro", "amerob"}));  // the primary once
  EXPECT_EQ(present_lines(truth.rows[0]), (std::vector<int>{2, 2}));
  EXPECT_EQ(truth.rows[1].id, "amerob/XC2");
  EXPECT_EQ(present_names(truth.rows[1]), Names{"amerob"});
}

TEST_F(TruthLabelsTest, TwoClipsWithOneRowIdAreAnError) {
  const auto path = write("train_metadata.csv",
                          "primary_label,filename\namecro,amecro/XC1.ogg\namecro,amecro/XC1.wav\n");
  EXPECT_EQ(
      testing::format_error_in(path, [&] { truth_from_clip_metadata(ClipMetadata::read(path)); }),
      "<p>:3: filename 'amecro/XC1.wav' gives row_id 'amecro/XC1', as the filename on "
      "line 2 does");
}

TEST_F(TruthLabelsTest, RfcxTruePositivesArePresentFalsePositivesAbsentTheRestUnknown) {
  const std::string fp =
      "r3,7,1,1,100,2,200\n"  // a recording only in the FP table
      "r1,5,1,1,100,2,200\n"  // r1 has s5 as a TP too: present wins
      "r1,2,1,1,100,2,200\n"
      "r1,2,4,3,100,4,200\n";  // absent twice: listed once
  const TruthLabels truth = rfcx(
      "r1,5,1,1,100,2,200\n"
      "r2,0,1,1,100,2,200\n"
      "r1,23,1,5,100,6,200\n"
      "r1,5,4,8,100,9,200\n",  // s5 again: counted once
      &fp);
  EXPECT_EQ(truth.unlisted, UnlistedClasses::unknown);
  ASSERT_EQ(truth.rows.size(), 3u);
  EXPECT_EQ(truth.rows[0].id, "r1");
  EXPECT_EQ(present_names(truth.rows[0]), (Names{"s5", "s23"}));
  EXPECT_EQ(present_lines(truth.rows[0]), (std::vector<int>{2, 4}));
  EXPECT_EQ(truth.rows[0].absent, Names{"s2"});
  EXPECT_EQ(truth.rows[1].id, "r2");
  EXPECT_EQ(present_names(truth.rows[1]), Names{"s0"});
  EXPECT_EQ(truth.rows[2].id, "r3");
  EXPECT_TRUE(truth.rows[2].present.empty());
  EXPECT_EQ(truth.rows[2].absent, Names{"s7"});
}

TEST_F(TruthLabelsTest, RfcxWithoutFalsePositivesKnowsOnlyPresences) {
  const TruthLabels truth = rfcx("r1,5,1,1,100,2,200\n", nullptr);
  ASSERT_EQ(truth.rows.size(), 1u);
  EXPECT_EQ(present_names(truth.rows[0]), Names{"s5"});
  EXPECT_TRUE(truth.rows[0].absent.empty());
}

TEST_F(TruthLabelsTest, RfcxWithoutAnyAnnotationIsAnError) {
  const std::string none;
  const auto tp = write("train_tp.csv", kRfcxHeader);
  EXPECT_EQ(testing::format_error_in(tp, [&] { rfcx("", &none); }),
            "<p>: no annotations below the header");
  // Only false positives: every known cell is absent, which is still a truth to score.
  const std::string absent = "r1,3,1,1,100,2,200\n";
  EXPECT_EQ(rfcx("", &absent).rows.size(), 1u);
}

}  // namespace
}  // namespace chorus::formats
