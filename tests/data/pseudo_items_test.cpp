// Pseudo-labelled chunks become items with soft targets; checked on hand-computed rows.

#include "data/pseudo_items.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "data/folds.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

data::Dataset three_classes() {
  data::Dataset d;
  d.classes = formats::ClassList({"a", "b", "c"}, "taxonomy.csv");
  return d;
}

TEST(PseudoItems, EachRowIsAnItemWithItsProbabilitiesAndWeight) {
  testing::TempDir dir;
  const std::string recording = (dir / "soundscape.ogg").string();
  std::ofstream(recording) << "audio";  // only its existence is checked here
  data::Dataset d = three_classes();
  formats::PseudoTable table;
  table.classes = {"c", "a"};  // a subset, in another order
  table.rows = {{recording, 0, 5, {0.9f, 0.1f}, 2}, {recording, 5, 10, {0.0f, 0.6f}, 3}};
  const auto added = data::add_pseudo_items(d, table, 0.3, dir / "p.csv");
  EXPECT_EQ(added.recordings, 1u);
  EXPECT_EQ(added.items, 2u);
  ASSERT_EQ(d.files.size(), 1u);
  ASSERT_EQ(d.items.size(), 2u);
  const data::Item& second = d.items[1];
  EXPECT_EQ(second.file, 0u);
  EXPECT_EQ(second.start_seconds, 5);
  EXPECT_EQ(second.end_seconds, 10);
  EXPECT_EQ(second.fold, data::kAlwaysTrain);
  EXPECT_EQ(second.target.values, (std::vector<float>{0.6f, 0.0f, 0.0f}));
  EXPECT_EQ(second.target.mask, (std::vector<float>{1, 0, 1}));  // b: the teacher said nothing
  EXPECT_FLOAT_EQ(second.target.weight, 0.3f);
}

TEST(PseudoItems, UnknownClassesAndMissingRecordingsAreNamed) {
  testing::TempDir dir;
  data::Dataset d = three_classes();
  formats::PseudoTable table;
  table.classes = {"a", "zz", "yy"};
  const std::string p = (dir / "p.csv").string();
  EXPECT_EQ(testing::error_message([&] { data::add_pseudo_items(d, table, 1, p); }),
            p + ": 2 classes are not in the dataset's class list (taxonomy.csv): zz, yy");
  table.classes = {"a"};
  table.rows = {{(dir / "gone.ogg").string(), 0, 5, {0.5f}, 7}};
  EXPECT_EQ(testing::error_message([&] { data::add_pseudo_items(d, table, 1, p); }),
            p + ":7: recording " + (dir / "gone.ogg").string() +
                " does not exist (paths are as chorus pseudo was given them: run from the same "
                "directory)");
}

}  // namespace
}  // namespace chorus
