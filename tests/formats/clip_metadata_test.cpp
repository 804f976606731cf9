// BirdCLEF train_metadata.csv: every column kept, lists parsed strictly, and each bad cell
// reported with the file and the line.

#include "formats/clip_metadata.hpp"

#include <gtest/gtest.h>

#include "formats/reader_testing.hpp"

namespace chorus {
namespace {

using Labels = std::vector<std::string>;

class ClipMetadataTest : public ::testing::Test {
 protected:
  // The error reading a metadata table of `text`, with the table's path written as "<p>".
  std::string error_reading(const std::string& text) {
    const auto path = testing::write_file(dir_, "m.csv", text);
    return testing::format_error_in(path, [&] { formats::ClipMetadata::read(path); });
  }

  testing::TempDir dir_;
};

TEST_F(ClipMetadataTest, ReadsKnownAndExtraColumns) {
  const auto path = testing::write_file(
      dir_, "m.csv",
      "primary_label,secondary_labels,type,filename,rating,latitude,longitude,fold,author\n"
      "amecro,\"['amerob', 'blujay']\",\"['call', 'song']\",amecro/XC1.ogg,4.5,40.1,-74.5,0,"
      "\"Smith, J.\"\n"
      "zébdov,[],[],zébdov/XC3 été.ogg,,,,1,Ünal\n");
  const formats::ClipMetadata m = formats::ClipMetadata::read(path);
  EXPECT_EQ(m.path, path.string());
  EXPECT_EQ(m.extra_columns, (Labels{"fold", "author"}));
  ASSERT_EQ(m.records.size(), 2u);

  const formats::ClipRecord& a = m.records[0];
  EXPECT_EQ(a.primary_label, "amecro");
  EXPECT_EQ(a.secondary_labels, (Labels{"amerob", "blujay"}));
  EXPECT_EQ(a.call_types, (Labels{"call", "song"}));
  EXPECT_EQ(a.filename, "amecro/XC1.ogg");
  EXPECT_EQ(a.rating, 4.5);
  EXPECT_EQ(a.latitude, 40.1);
  EXPECT_EQ(a.longitude, -74.5);
  EXPECT_EQ(a.line, 2);
  EXPECT_EQ(a.extra.at("fold"), "0");
  EXPECT_EQ(a.extra.at("author"), "Smith, J.");

  const formats::ClipRecord& b = m.records[1];
  EXPECT_EQ(b.primary_label, "zébdov");
  EXPECT_TRUE(b.secondary_labels.empty());
  EXPECT_EQ(b.filename, "zébdov/XC3 été.ogg");
  EXPECT_FALSE(b.rating.has_value());
  EXPECT_FALSE(b.latitude.has_value());
  EXPECT_FALSE(b.longitude.has_value());
  EXPECT_EQ(b.extra.at("author"), "Ünal");
  EXPECT_EQ(m.where(b), path.string() + ":3");
}

TEST_F(ClipMetadataTest, OnlyLabelAndFilenameAreRequired) {
  const auto path = testing::write_file(dir_, "m.csv", "filename,primary_label\nx/1.ogg,x\n");
  const formats::ClipMetadata m = formats::ClipMetadata::read(path);
  ASSERT_EQ(m.records.size(), 1u);
  EXPECT_EQ(m.records[0].primary_label, "x");
  EXPECT_TRUE(m.records[0].secondary_labels.empty());
  EXPECT_TRUE(m.records[0].call_types.empty());
  EXPECT_FALSE(m.records[0].rating.has_value());
  EXPECT_TRUE(m.extra_columns.empty());
}

TEST_F(ClipMetadataTest, MissingColumnsAndEmptyTables) {
  EXPECT_EQ(error_reading("primary_label,secondary_labels\na,[]\n"),
            "<p>: missing column 'filename' (columns: primary_label, secondary_labels)");
  EXPECT_EQ(error_reading("filename\na.ogg\n"),
            "<p>: missing column 'primary_label' (columns: filename)");
  EXPECT_EQ(error_reading("primary_label,filename\n"), "<p>: no clips (only a header)");
  EXPECT_EQ(error_reading(""), "<p>: empty file");
  EXPECT_EQ(error_reading("primary_label,filename,fold,fold\na,a.ogg,1,2\n"),
            "<p>:1: column 'fold' appears twice (columns 3 and 4)");
}

TEST_F(ClipMetadataTest, BadCellsNameTheLine) {
  const std::string header = "primary_label,secondary_labels,filename,rating,latitude\n";
  const std::string good = "a,[],a/1.ogg,3,10\n";
  // An unquoted list with a comma splits into two fields.
  EXPECT_EQ(error_reading(header + good + "b,['a', 'c'],b/1.ogg,3,10\n"),
            "<p>:3: expected 5 fields (as in the header), found 6");
  EXPECT_EQ(error_reading(header + good + "b,\"['a' 'c']\",b/1.ogg,3,10\n"),
            "<p>:3: column 'secondary_labels': malformed list ['a' 'c']: expected ',' or ']' at "
            "character 6");
  EXPECT_EQ(error_reading(header + "b,\"['a', c]\",b/1.ogg,3,10\n"),
            "<p>:2: column 'secondary_labels': malformed list ['a', c]: expected a quoted string "
            "or ']' at character 7");
  EXPECT_EQ(error_reading(header + "b,a,b/1.ogg,3,10\n"),
            "<p>:2: column 'secondary_labels': malformed list a: expected '[' at character 1");
  EXPECT_EQ(error_reading(header + "b,,b/1.ogg,3,10\n"),
            "<p>:2: column 'secondary_labels' is empty (write [] for none)");
  EXPECT_EQ(error_reading(header + "b,\"['a', '']\",b/1.ogg,3,10\n"),
            "<p>:2: column 'secondary_labels': empty label in ['a', '']");
  EXPECT_EQ(error_reading(header + good + good),
            "<p>:3: filename 'a/1.ogg' is listed twice (first at line 2)");
  EXPECT_EQ(error_reading(header + good + ",[],b/1.ogg,3,10\n"),
            "<p>:3: column 'primary_label' is empty");
  EXPECT_EQ(error_reading(header + "b,[],,3,10\n"), "<p>:2: column 'filename' is empty");
  EXPECT_EQ(error_reading(header + "b,[],b/1.ogg,good,10\n"),
            "<p>:2: column 'rating': 'good' is not a finite number");
  EXPECT_EQ(error_reading(header + "b,[],b/1.ogg,nan,10\n"),
            "<p>:2: column 'rating': 'nan' is not a finite number");
  EXPECT_EQ(error_reading(header + "b,[],b/1.ogg,7,10\n"),
            "<p>:2: column 'rating': 7 is outside [0, 5]");
  EXPECT_EQ(error_reading(header + "b,[],b/1.ogg,3,91.5\n"),
            "<p>:2: column 'latitude': 91.5 is outside [-90, 90]");
  EXPECT_EQ(error_reading(header + "b,\"[],b/1.ogg,3,10\n").rfind("<p>:2: malformed CSV", 0), 0u);
}

TEST_F(ClipMetadataTest, AudioPathsStayUnderTheRoot) {
  const auto path = testing::write_file(dir_, "m.csv",
                                        "primary_label,filename\n"
                                        "a,a/1.ogg\n"
                                        "b,b/../../../etc/passwd\n"
                                        "c,/etc/passwd\n");
  const formats::ClipMetadata m = formats::ClipMetadata::read(path);
  const std::filesystem::path root = dir_ / "train_audio";
  EXPECT_EQ(m.audio_path(m.records[0], root), root / "a/1.ogg");
  EXPECT_EQ(
      testing::format_error([&] { m.audio_path(m.records[1], root); }),
      path.string() + ":3: filename 'b/../../../etc/passwd' leaves the data root " + root.string());
  EXPECT_EQ(testing::format_error([&] { m.audio_path(m.records[2], root); }),
            path.string() + ":4: filename '/etc/passwd' is absolute; filenames must be relative " +
                "to the data root " + root.string());
}

}  // namespace
}  // namespace chorus
