// The readers on the real data sets in shared/data (see its README): counts, known values, and
// every metadata filename naming an audio file that exists.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "formats/class_list.hpp"
#include "formats/clip_metadata.hpp"
#include "formats/raven_table.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

#define SKIP_WITHOUT_SHARED_DATA() \
  if (!testing::have_shared_data()) GTEST_SKIP() << "no shared data at " << testing::shared_data()

void expect_every_audio_file_exists(const formats::ClipMetadata& metadata,
                                    const std::filesystem::path& audio_root) {
  for (const formats::ClipRecord& record : metadata.records)
    EXPECT_TRUE(std::filesystem::is_regular_file(metadata.audio_path(record, audio_root)))
        << metadata.where(record) << ": " << record.filename;
}

TEST(SharedDataReaders, Esc50Metadata) {
  SKIP_WITHOUT_SHARED_DATA();
  const auto root = testing::shared_data() / "esc50_dev";
  const formats::ClipMetadata metadata = formats::ClipMetadata::read(root / "train_metadata.csv");
  ASSERT_EQ(metadata.records.size(), 1600u);
  EXPECT_EQ(metadata.extra_columns,
            (std::vector<std::string>{"fold", "common_name", "duration_s", "esc50_file",
                                      "esc50_fold", "license", "source"}));
  const formats::ClipRecord& first = metadata.records.front();
  EXPECT_EQ(first.primary_label, "airplane");
  EXPECT_EQ(first.filename, "airplane/esc50k-47-s00.ogg");
  EXPECT_EQ(first.rating, 5.0);
  EXPECT_EQ(first.extra.at("fold"), "3");
  EXPECT_EQ(first.extra.at("duration_s"), "5.0");
  EXPECT_EQ(first.line, 2);
  EXPECT_EQ(metadata.records.back().filename, "wind/esc50k-16-s39.ogg");

  // 8 clips per class per fold, 50 classes, no secondary labels.
  std::map<std::string, int> per_fold;
  for (const formats::ClipRecord& record : metadata.records) {
    ++per_fold[record.extra.at("fold")];
    EXPECT_TRUE(record.secondary_labels.empty());
  }
  EXPECT_EQ(per_fold, (std::map<std::string, int>{{"0", 400}, {"1", 400}, {"2", 400}, {"3", 400}}));

  const formats::ClassList taxonomy = formats::ClassList::from_taxonomy(root / "taxonomy.csv");
  ASSERT_EQ(taxonomy.size(), 50u);
  EXPECT_EQ(taxonomy.name(0), "dog");
  EXPECT_EQ(taxonomy.index("hand_saw"), 49u);
  EXPECT_NO_THROW(formats::check_labels_known(metadata, taxonomy));

  const formats::ClassList derived = formats::ClassList::from_metadata(metadata);
  std::vector<std::string> sorted_taxonomy = taxonomy.names();
  std::ranges::sort(sorted_taxonomy);
  EXPECT_EQ(derived.names(), sorted_taxonomy);

  expect_every_audio_file_exists(metadata, root / "train_audio");
}

TEST(SharedDataReaders, BirdExtrasMetadata) {
  SKIP_WITHOUT_SHARED_DATA();
  const auto root = testing::shared_data() / "bird_extras";
  const formats::ClipMetadata metadata = formats::ClipMetadata::read(root / "train_metadata.csv");
  ASSERT_EQ(metadata.records.size(), 9u);
  const formats::ClipRecord& first = metadata.records.front();
  EXPECT_EQ(first.primary_label, "gowwar");
  EXPECT_EQ(first.filename, "gowwar/XC13738.ogg");
  EXPECT_EQ(first.call_types, std::vector<std::string>{"song"});
  EXPECT_EQ(first.rating, 0.0);
  EXPECT_EQ(first.extra.at("scientific_name"), "Vermivora chrysoptera");
  // A quoted cell with commas and parentheses.
  EXPECT_TRUE(first.extra.at("license").starts_with("xeno-canto recording; licence as stated"));
  EXPECT_EQ(metadata.records[7].call_types, std::vector<std::string>{"drumming"});

  // The taxonomy also lists refspi1, which only the annotated soundscape has.
  const formats::ClassList taxonomy = formats::ClassList::from_taxonomy(root / "taxonomy.csv");
  EXPECT_EQ(taxonomy.names(),
            (std::vector<std::string>{"amerob", "anaxyrus_cognatus", "eurrob1", "gowwar", "lesgol",
                                      "refspi1", "rufgro", "tawowl1"}));
  EXPECT_NO_THROW(formats::check_labels_known(metadata, taxonomy));
  EXPECT_EQ(formats::ClassList::from_metadata(metadata).size(), 7u);

  expect_every_audio_file_exists(metadata, root / "train_audio");
}

TEST(SharedDataReaders, RavenTables) {
  SKIP_WITHOUT_SHARED_DATA();
  const auto annotations = testing::shared_data() / "bird_extras" / "annotations";
  const formats::RavenTable gowwar =
      formats::RavenTable::read(annotations / "gowwar_XC13738.Table.1.selections.txt");
  EXPECT_EQ(gowwar.label_column, "Species");
  ASSERT_EQ(gowwar.selections.size(), 8u);
  const formats::RavenSelection& s = gowwar.selections.front();
  EXPECT_DOUBLE_EQ(s.box.begin_s, 0.459636);
  EXPECT_DOUBLE_EQ(s.box.end_s, 2.298182);
  EXPECT_DOUBLE_EQ(s.box.low_hz, 4029.8);
  EXPECT_DOUBLE_EQ(s.box.high_hz, 17006.4);
  EXPECT_DOUBLE_EQ(gowwar.selections.back().box.end_s, 53.891048);
  EXPECT_TRUE(
      std::ranges::all_of(gowwar.selections, [](const auto& x) { return x.label == "gowwar"; }));

  const formats::RavenTable spinetail =
      formats::RavenTable::read(annotations / "colombia_spinetail.Table.1.selections.txt");
  ASSERT_EQ(spinetail.selections.size(), 18u);
  const auto songs = std::ranges::count_if(spinetail.selections,
                                           [](const auto& x) { return x.label == "refspi1"; });
  EXPECT_EQ(songs, 4);
  EXPECT_EQ(spinetail.selections[1].label, "refspi1");
  EXPECT_EQ(spinetail.selections[1].line, 3);
  EXPECT_DOUBLE_EQ(spinetail.selections[1].box.end_s, 3.041545);
  // The recording is 19.5 s long.
  EXPECT_LT(spinetail.selections.back().box.end_s, 19.5);
}

}  // namespace
}  // namespace chorus
