// Species names from a taxonomy: BirdCLEF's and eBird's columns, classes the taxonomy lacks, a
// taxonomy without names, and the real BirdCLEF-style taxonomy in shared/data.

#include "formats/species_names.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace chorus {
namespace {

const formats::ClassList kClasses({"amerob", "gowwar", "sp3"}, "test classes");

TEST(SpeciesNames, BirdclefAndEbirdColumnsNameTheClassesInTheirOrder) {
  const testing::TempDir dir;
  // More species than classes, in another order; sp3 is missing.
  const auto birdclef = testing::write_text(dir / "taxonomy.csv",
                                            "primary_label,scientific_name,common_name\n"
                                            "gowwar,Vermivora chrysoptera,Golden-winged Warbler\n"
                                            "houspa,Passer domesticus,House Sparrow\n"
                                            "amerob,Turdus migratorius,American Robin\n");
  const formats::SpeciesNames names = formats::SpeciesNames::from_taxonomy(kClasses, birdclef);
  EXPECT_EQ(names.common,
            (std::vector<std::string>{"American Robin", "Golden-winged Warbler", ""}));
  EXPECT_EQ(names.scientific_or(1, "gowwar"), "Vermivora chrysoptera");
  EXPECT_EQ(names.common_or(2, "sp3"), "sp3");
  const auto ebird = testing::write_text(dir / "ebird.csv",
                                         "SPECIES_CODE,PRIMARY_COM_NAME,SCI_NAME\n"
                                         "amerob,American Robin,Turdus migratorius\n");
  EXPECT_EQ(formats::SpeciesNames::from_taxonomy(kClasses, ebird).scientific,
            (std::vector<std::string>{"Turdus migratorius", "", ""}));
  // Codes alone: no names, every output shows the codes.
  const auto codes = testing::write_text(dir / "codes.csv", "primary_label\namerob\ngowwar\n");
  const formats::SpeciesNames none = formats::SpeciesNames::from_taxonomy(kClasses, codes);
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.common_or(0, "amerob"), "amerob");
  const auto no_code = testing::write_text(dir / "bad.csv", "name,common_name\nx,y\n");
  const std::string message =
      testing::error_message([&] { formats::SpeciesNames::from_taxonomy(kClasses, no_code); });
  EXPECT_NE(message.find("bad.csv"), std::string::npos) << message;
  EXPECT_NE(message.find("primary_label"), std::string::npos) << message;
}

TEST(SpeciesNames, TheSharedBirdTaxonomy) {
  if (!testing::have_shared_data()) GTEST_SKIP() << "no shared data";
  const auto path = testing::shared_data() / "bird_extras/taxonomy.csv";
  const formats::ClassList classes = formats::ClassList::from_taxonomy(path);
  const formats::SpeciesNames names = formats::SpeciesNames::from_taxonomy(classes, path);
  const std::size_t gowwar = classes.index("gowwar");
  EXPECT_EQ(names.common[gowwar], "Golden-winged Warbler");
  EXPECT_EQ(names.scientific[gowwar], "Vermivora chrysoptera");
  for (std::size_t c = 0; c < classes.size(); ++c) EXPECT_FALSE(names.common[c].empty()) << c;
}

}  // namespace
}  // namespace chorus
