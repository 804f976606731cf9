// Items and targets: every policy checked on hand-computed examples.

#include "data/dataset.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <numeric>

#include "audio/audio_writer.hpp"
#include "core/error.hpp"
#include "data/dataset_layout.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

formats::ClipRecord clip(std::string primary, std::vector<std::string> secondary,
                         std::optional<double> rating = {}) {
  formats::ClipRecord r;
  r.primary_label = std::move(primary);
  r.secondary_labels = std::move(secondary);
  r.rating = rating;
  r.filename = "x.ogg";
  r.line = 7;
  return r;
}

const formats::ClassList kClasses({"a", "b", "c", "d"}, "test");

std::vector<float> values(const data::Target& t) { return t.values; }

TEST(Dataset, NoCallRecordingsAreKnownNegativesInEveryTrainingFoldOnePerWindow) {
  testing::TempDir dir;
  constexpr int kRate = 8000;
  audio::write_audio(dir / "quiet_1.wav", std::vector<float>(kRate * 3, 0.01f), kRate);
  audio::write_audio(dir / "quiet_2.wav", std::vector<float>(kRate * 12, 0.01f), kRate);
  data::Dataset d;
  d.classes = formats::ClassList({"a", "b"}, "test");
  d.files = {"clip.ogg"};
  d.items.resize(1);
  d.add_nocall_recordings({dir / "quiet_1.wav", dir / "quiet_2.wav"}, 5.0);
  // 3 s: one item; 12 s: 0–5 and 5–12 (a 2 s tail is under half a window and joins the last).
  ASSERT_EQ(d.items.size(), 4u);
  ASSERT_EQ(d.files.size(), 3u);
  EXPECT_EQ(d.files[2], dir / "quiet_2.wav");
  EXPECT_DOUBLE_EQ(d.items[1].end_seconds, 3.0);
  for (std::size_t i = 1; i < d.items.size(); ++i) {
    const data::Item& item = d.items[i];
    EXPECT_EQ(item.file, i == 1 ? 1u : 2u);
    EXPECT_EQ(item.target.values, (std::vector<float>{0, 0}));
    EXPECT_EQ(item.target.mask, (std::vector<float>{1, 1}));
    EXPECT_EQ(item.fold, -1);
  }
  EXPECT_DOUBLE_EQ(d.items[2].start_seconds, 0.0);
  EXPECT_DOUBLE_EQ(d.items[2].end_seconds, 5.0);
  EXPECT_DOUBLE_EQ(d.items[3].start_seconds, 5.0);
  EXPECT_DOUBLE_EQ(d.items[3].end_seconds, 12.0);
}

TEST(Dataset, UnknownLabelsNameTheLineOrAreDroppedByThePolicy) {
  testing::TempDir dir;
  const auto table = testing::write_text(dir / "train_metadata.csv",
                                         "primary_label,secondary_labels,filename\n"
                                         "a,\"['b']\",a/1.ogg\n"
                                         "b,\"['a', 'zz']\",b/1.ogg\n");
  data::DatasetDir clips;
  clips.metadata = formats::ClipMetadata::read(table);
  clips.audio_files = {dir / "a/1.ogg", dir / "b/1.ogg"};
  const formats::ClassList classes({"a", "b"}, "test");
  data::DataConfig config;
  config.target = data::TargetPolicy::secondary;
  EXPECT_EQ(testing::error_message([&] { data::Dataset::from_clips(clips, classes, config); }),
            table.string() +
                ":3: unknown label 'zz' in secondary_labels (not among the 2 classes of test)");
  config.drop_unknown_secondary = true;
  const data::Dataset d = data::Dataset::from_clips(clips, classes, config);
  ASSERT_EQ(d.items.size(), 2u);
  EXPECT_EQ(d.items[1].target.values, (std::vector<float>{1, 1}));
}

TEST(Targets, PoliciesOnHandComputedExamples) {
  data::DataConfig c;
  const auto with_two = clip("b", {"c", "d"});
  c.target = data::TargetPolicy::primary;
  EXPECT_EQ(values(data::clip_target(with_two, kClasses, c)), (std::vector<float>{0, 1, 0, 0}));
  c.target = data::TargetPolicy::shared;  // primary 0.5, two secondaries share 0.5: 0.25 each
  EXPECT_EQ(values(data::clip_target(with_two, kClasses, c)),
            (std::vector<float>{0, 0.5f, 0.25f, 0.25f}));
  EXPECT_EQ(values(data::clip_target(clip("a", {}), kClasses, c)),
            (std::vector<float>{1, 0, 0, 0}));
  c.target = data::TargetPolicy::masked;
  const auto masked = data::clip_target(with_two, kClasses, c);
  EXPECT_EQ(masked.values, (std::vector<float>{0, 1, 0, 0}));
  EXPECT_EQ(masked.mask, (std::vector<float>{1, 1, 0, 0}));
  c.target = data::TargetPolicy::secondary;
  c.secondary_value = 0.3;
  EXPECT_EQ(values(data::clip_target(with_two, kClasses, c)),
            (std::vector<float>{0, 1, 0.3f, 0.3f}));
}

TEST(Targets, SmoothingWeightsAndPseudoLabels) {
  data::DataConfig c;
  c.label_smoothing = 0.1;  // (1 − 0.1)·y + 0.1/4: 0.925 and 0.025
  c.rating_weight = true;
  auto t = data::clip_target(clip("c", {}, 4.0), kClasses, c);
  EXPECT_FLOAT_EQ(t.values[2], 0.925f);
  EXPECT_FLOAT_EQ(t.values[0], 0.025f);
  EXPECT_FLOAT_EQ(t.weight, 0.8f);
  EXPECT_FLOAT_EQ(data::clip_target(clip("c", {}, 0.0), kClasses, c).weight, 1.0f);  // unrated
  data::DataConfig plain;
  t = data::clip_target(clip("a", {}), kClasses, plain);
  // 0.95·y + 0.05·p on the classes given, the others untouched.
  data::blend_pseudo_labels(t, std::vector<std::size_t>{0, 1, 3},
                            std::vector<float>{0.2f, 0.8f, 0.4f}, 0.05);
  EXPECT_FLOAT_EQ(t.values[0], 0.95f + 0.01f);
  EXPECT_FLOAT_EQ(t.values[1], 0.04f);
  EXPECT_FLOAT_EQ(t.values[2], 0.0f);
  EXPECT_FLOAT_EQ(t.values[3], 0.02f);
}

TEST(Targets, UnknownSecondaryIsAnError) {  // dropping them is Dataset::from_clips's (above)
  EXPECT_THROW(data::clip_target(clip("a", {"zz"}), kClasses, data::DataConfig{}), FormatError);
}

TEST(Targets, RfcxPresenceMasksTheUnknown) {
  const std::vector<std::size_t> present{1}, absent{1, 3};
  const auto t = data::presence_target(present, absent, 4);
  EXPECT_EQ(t.values, (std::vector<float>{0, 1, 0, 0}));
  EXPECT_EQ(t.mask, (std::vector<float>{0, 1, 0, 1}));
}

TEST(Segments, LongRecordingsSplitAndShortTailsJoin) {
  using Spans = std::vector<std::pair<double, double>>;
  EXPECT_EQ(data::segment_spans(50, 20), (Spans{{0, 20}, {20, 40}, {40, 50}}));
  EXPECT_EQ(data::segment_spans(45, 20), (Spans{{0, 20}, {20, 45}}));
  EXPECT_EQ(data::segment_spans(12, 20), (Spans{{0, 12}}));
  EXPECT_EQ(data::segment_spans(12, 0), (Spans{{0, 12}}));
  EXPECT_EQ(data::cyclic_pad(std::vector<float>{1, 2, 3}, 7),
            (std::vector<float>{1, 2, 3, 1, 2, 3, 1}));
}

TEST(Dataset, RfcxItemsCoverBoxesWithOverlappingPresenceAndAbsence) {
  testing::TempDir dir;
  std::ofstream(dir / "tp.csv") << "recording_id,species_id,songtype_id,t_min,f_min,t_max,f_max\n"
                                   "r1,3,1,1.0,500,3.0,2000\n"
                                   "r2,0,1,10.0,500,12.0,2000\n";
  std::ofstream(dir / "fp.csv") << "recording_id,species_id,songtype_id,t_min,f_min,t_max,f_max\n"
                                   "r1,5,1,2.0,500,4.0,2000\n"
                                   "r1,0,1,20.0,500,22.0,2000\n";
  const auto tp = formats::RfcxAnnotations::read(dir / "tp.csv", formats::RfcxKind::true_positives);
  const auto fp =
      formats::RfcxAnnotations::read(dir / "fp.csv", formats::RfcxKind::false_positives);
  const data::Dataset d = data::Dataset::from_rfcx(tp, fp, dir / "train", ".flac");
  ASSERT_EQ(d.classes.size(), 3u);  // species 0, 3, 5
  ASSERT_EQ(d.items.size(), 4u);
  ASSERT_EQ(d.files.size(), 2u);
  const data::Item& first = d.items[0];  // r1 species 3 at 1–3 s overlaps the FP of 5 at 2–4 s
  EXPECT_EQ(d.files[first.file], dir / "train" / "r1.flac");
  EXPECT_EQ(first.target.values, (std::vector<float>{0, 1, 0}));
  EXPECT_EQ(first.target.mask, (std::vector<float>{0, 1, 1}));
  EXPECT_DOUBLE_EQ(first.start_seconds, 1.0);
  EXPECT_DOUBLE_EQ(first.end_seconds, 3.0);
}

// open_dataset tells the layouts apart: a folder with train_tp.csv is RFCX, whose items come
// from the TP/FP tables, so a clip table given for it is refused rather than ignored.
TEST(Dataset, OpenDatasetReadsAnRfcxFolderAndRefusesAClipTableForIt) {
  testing::TempDir dir;
  std::ofstream(dir / "train_tp.csv")
      << "recording_id,species_id,songtype_id,t_min,f_min,t_max,f_max\n"
         "r1,3,1,1.0,500,3.0,2000\n";
  const data::OpenedDataset opened = data::open_dataset(dir.path(), {}, {}, 1);
  ASSERT_EQ(opened.dataset.items.size(), 1u);
  EXPECT_EQ(opened.dataset.files.front(), dir / "train" / "r1.flac");
  EXPECT_EQ(opened.nocall_recordings, 0u);
  EXPECT_EQ(testing::error_message([&] { data::open_dataset(dir.path(), "folds.csv", {}, 1); }),
            dir.path().string() +
                ": a clip table (folds.csv) applies to the BirdCLEF layout, and this folder has "
                "the RFCX one (train_tp.csv)");
}

TEST(Dataset, SharedDataClipsBecomeItemsWithFolds) {
  if (!testing::have_shared_data()) GTEST_SKIP() << "../shared/data not found";
  const auto dir = data::DatasetDir::open(testing::shared_data() / "esc50_dev");
  const auto classes =
      formats::ClassList::from_taxonomy(testing::shared_data() / "esc50_dev/taxonomy.csv");
  const data::Dataset d = data::Dataset::from_clips(dir, classes, data::DataConfig{});
  ASSERT_EQ(d.items.size(), 1600u);
  std::vector<int> per_fold(4, 0);
  for (const auto& item : d.items) {
    ASSERT_GE(item.fold, 0);
    ++per_fold[item.fold];
    EXPECT_FLOAT_EQ(std::accumulate(item.target.values.begin(), item.target.values.end(), 0.0f),
                    1.0f);
  }
  EXPECT_EQ(per_fold, (std::vector<int>{400, 400, 400, 400}));
  data::DataConfig segmented;
  segmented.segment_seconds = 3.0;  // 5 s clips: [0,3) [3,5)
  EXPECT_EQ(data::Dataset::from_clips(dir, classes, segmented, 2).items.size(), 3200u);
}

TEST(Dataset, RavenSelectionsOfTheSharedFieldRecording) {
  if (!testing::have_shared_data()) GTEST_SKIP() << "../shared/data not found";
  const auto root = testing::shared_data() / "bird_extras";
  const auto table =
      formats::RavenTable::read(root / "annotations/colombia_spinetail.Table.1.selections.txt");
  const auto classes = formats::ClassList::from_taxonomy(root / "taxonomy.csv");
  EXPECT_THROW(
      data::Dataset::from_raven(table, root / "soundscapes/colombia_spinetail.ogg", classes, false),
      FormatError);  // the table labels some selections "unknown"
  const data::Dataset d =
      data::Dataset::from_raven(table, root / "soundscapes/colombia_spinetail.ogg", classes, true);
  ASSERT_EQ(d.items.size(), 4u);  // the four refspi1 selections
  const std::size_t refspi1 = classes.index("refspi1");
  for (const auto& item : d.items) {
    EXPECT_EQ(item.target.values[refspi1], 1.0f);
    EXPECT_LT(item.start_seconds, item.end_seconds);
  }
}

}  // namespace
}  // namespace chorus
