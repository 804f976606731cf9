// Class lists from taxonomies, submission headers and metadata, and the policy that every
// training label is a class.

#include "formats/class_list.hpp"

#include <gtest/gtest.h>

#include "formats/reader_testing.hpp"

namespace chorus {
namespace {

using Names = std::vector<std::string>;

class ClassListTest : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& name, const std::string& text) {
    return testing::write_file(dir_, name, text);
  }
  // The error building a class list with `make` from a file of `text`, the path shown as "<p>".
  template <class Make>
  std::string error_from(const std::string& text, Make make) {
    const auto path = write("c.csv", text);
    return testing::format_error_in(path, [&] { make(path); });
  }
  std::string taxonomy_error(const std::string& text) {
    return error_from(text, [](const auto& p) { formats::ClassList::from_taxonomy(p); });
  }
  std::string submission_error(const std::string& text) {
    return error_from(text, [](const auto& p) { formats::ClassList::from_sample_submission(p); });
  }

  testing::TempDir dir_;
};

TEST_F(ClassListTest, FromTaxonomiesInTableOrder) {
  const auto birdclef = write("taxonomy.csv",
                              "primary_label,inat_taxon_id,scientific_name,common_name\n"
                              "zebdov,1,Geopelia striata,Zebra Dove\n"
                              "amecro,2,Corvus brachyrhynchos,American Crow\n");
  const formats::ClassList classes = formats::ClassList::from_taxonomy(birdclef);
  EXPECT_EQ(classes.names(), (Names{"zebdov", "amecro"}));
  EXPECT_EQ(classes.index("amecro"), 1u);
  EXPECT_EQ(classes.find("blujay"), std::nullopt);
  EXPECT_EQ(classes.source(), birdclef.string());
  EXPECT_EQ(testing::format_error([&] { classes.index("blujay"); }),
            "unknown class 'blujay' (not among the 2 classes of " + birdclef.string() + ")");

  const auto lower = write("t2.csv", "species_code,common_name\nbarswa,Barn Swallow\n");
  EXPECT_EQ(formats::ClassList::from_taxonomy(lower).names(), Names{"barswa"});

  const auto ebird = write("eBird_Taxonomy_v2021.csv",
                           "TAXON_ORDER,CATEGORY,SPECIES_CODE,PRIMARY_COM_NAME,SCI_NAME\n"
                           "1,species,ostric2,Common Ostrich,Struthio camelus\n"
                           "6,species,ostric3,Somali Ostrich,Struthio molybdophanes\n"
                           "7,slash,y00934,Common/Somali Ostrich,Struthio camelus/molybdophanes\n");
  EXPECT_EQ(formats::ClassList::from_taxonomy(ebird).names(),
            (Names{"ostric2", "ostric3", "y00934"}));
}

TEST_F(ClassListTest, TaxonomyErrorsNameTheLine) {
  EXPECT_EQ(taxonomy_error("primary_label\namecro\nblujay\namecro\n"),
            "<p>:4: duplicate class 'amecro' (first at line 2)");
  EXPECT_EQ(taxonomy_error("primary_label,name\namecro,x\n,y\n"), "<p>:3: empty class name");
  EXPECT_EQ(taxonomy_error("primary_label\n\"ame cro\"\n"),
            "<p>:2: class name 'ame cro' contains whitespace (labels are written space-separated)");
  EXPECT_EQ(taxonomy_error("name,code\namecro,1\n"),
            "<p>: missing column (one of 'primary_label', 'species_code', 'SPECIES_CODE') "
            "(columns: name, code)");
  EXPECT_EQ(taxonomy_error("primary_label\n"), "<p>: no classes (only a header)");
  EXPECT_EQ(taxonomy_error(""), "<p>: empty file");
}

TEST_F(ClassListTest, FromSampleSubmissionHeader) {
  const auto birdclef =
      write("sample_submission.csv", "row_id,asbfly,ashdro1,zitcis1\nBC2024_1_5,0.1,0.2,0.3\n");
  EXPECT_EQ(formats::ClassList::from_sample_submission(birdclef).names(),
            (Names{"asbfly", "ashdro1", "zitcis1"}));
  const auto rfcx = write("rfcx.csv", "recording_id,s0,s1,s2\n");
  EXPECT_EQ(formats::ClassList::from_sample_submission(rfcx).names(), (Names{"s0", "s1", "s2"}));

  EXPECT_EQ(submission_error("row_id,a,b,a\n"),
            "<p>:1: column 'a' appears twice (columns 2 and 4)");
  EXPECT_EQ(submission_error("id,a,b\n"),
            "<p>: the first column is 'id', expected row_id (or recording_id)");
  EXPECT_EQ(submission_error("row_id\nx\n"), "<p>: no class columns after 'row_id'");
  EXPECT_EQ(submission_error("row_id,a,,b\n"), "<p>: header column 3: empty class name");
}

TEST_F(ClassListTest, FromMetadataSortedUnique) {
  const auto path = write("m.csv",
                          "primary_label,secondary_labels,filename\n"
                          "zebdov,\"['amecro', 'zebdov']\",z/1.ogg\n"
                          "émeu,[],e/1.ogg\n"
                          "amecro,\"['blujay']\",a/1.ogg\n");
  const formats::ClipMetadata metadata = formats::ClipMetadata::read(path);
  const formats::ClassList classes = formats::ClassList::from_metadata(metadata);
  // Byte order puts UTF-8 'é' after every ASCII letter, as Python's sorted() does.
  EXPECT_EQ(classes.names(), (Names{"amecro", "blujay", "zebdov", "émeu"}));
  EXPECT_EQ(classes.source(), "the labels of " + path.string());

  const auto spaced = write("s.csv",
                            "primary_label,secondary_labels,filename\n"
                            "a,[],a/1.ogg\n"
                            "b,\"['gre egr']\",b/1.ogg\n");
  const formats::ClipMetadata bad = formats::ClipMetadata::read(spaced);
  EXPECT_EQ(
      testing::format_error([&] { formats::ClassList::from_metadata(bad); }),
      spaced.string() +
          ":3: class name 'gre egr' contains whitespace (labels are written space-separated)");
}

TEST_F(ClassListTest, FromNames) {
  const formats::ClassList classes({"b", "a"}, "checkpoint");
  EXPECT_EQ(classes.index("a"), 1u);
  EXPECT_EQ(testing::format_error([] {
              formats::ClassList({"a", "b", "a"}, "checkpoint");
            }),
            "checkpoint: duplicate class 'a' (positions 1 and 3)");
  EXPECT_EQ(testing::format_error([] {
              formats::ClassList({"a", ""}, "checkpoint");
            }),
            "checkpoint: empty class name");
}

TEST_F(ClassListTest, EveryMetadataLabelMustBeAClass) {
  const auto taxonomy = write("taxonomy.csv", "primary_label\namecro\nblujay\n");
  const formats::ClassList classes = formats::ClassList::from_taxonomy(taxonomy);
  const auto path = write("m.csv",
                          "primary_label,secondary_labels,filename\n"
                          "amecro,\"['blujay']\",a/1.ogg\n"
                          "blujay,\"['amecro', 'houspa', 'eursta']\",b/1.ogg\n"
                          "amecro,[],a/2.ogg\n");
  formats::ClipMetadata metadata = formats::ClipMetadata::read(path);
  EXPECT_EQ(testing::format_error([&] { formats::check_labels_known(metadata, classes); }),
            path.string() + ":3: unknown label 'houspa' in secondary_labels (not among the 2 " +
                "classes of " + taxonomy.string() + "; 2 unknown labels in all)");

  EXPECT_EQ(formats::drop_unknown_secondary_labels(metadata, classes), 2u);
  EXPECT_EQ(metadata.records[1].secondary_labels, Names{"amecro"});
  EXPECT_NO_THROW(formats::check_labels_known(metadata, classes));

  const auto unknown_primary =
      write("u.csv", "primary_label,filename\namecro,a/1.ogg\ncomrav,c/1.ogg\n");
  formats::ClipMetadata primary = formats::ClipMetadata::read(unknown_primary);
  EXPECT_EQ(formats::drop_unknown_secondary_labels(primary, classes), 0u);
  EXPECT_EQ(testing::format_error([&] { formats::check_labels_known(primary, classes); }),
            unknown_primary.string() + ":3: unknown label 'comrav' in primary_label (not among " +
                "the 2 classes of " + taxonomy.string() + ")");
}

}  // namespace
}  // namespace chorus
