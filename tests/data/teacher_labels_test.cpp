// A teacher applied to a fold's training items, on hand-computed rows: chunks over an item's span
// pooled by max and blended; disagreeing clips dropped; a secondary label the teacher agrees with
// promoted (target and mask swapped); items outside the training items left alone.

#include "data/teacher_labels.hpp"

#include <gtest/gtest.h>

namespace chorus {
namespace {

data::Dataset three_classes() {
  data::Dataset d;
  d.classes = formats::ClassList({"a", "b", "c"}, "taxonomy.csv");
  d.files = {"/data/train_audio/a/XC1.ogg", "/data/train_audio/b/XC2.ogg",
             "/data/train_audio/c/XC3.ogg"};
  return d;
}

data::DataConfig teacher_config(bool drop, bool promote, double blend = 0.05) {
  data::DataConfig c;
  c.pseudo_blend = blend;
  c.teacher_drop_disagreeing = drop;
  c.teacher_promote_secondary = promote;
  return c;
}

TEST(TeacherLabels, ChunksOverAnItemsSpanArePooledByMaxAndBlended) {
  data::Dataset d = three_classes();
  data::Item whole{.file = 0, .target = {{1, 0, 0}, {1, 1, 1}, 1}};  // to the file's end
  data::Item late{
      .file = 0, .start_seconds = 6, .end_seconds = 9, .target = {{1, 0, 0}, {1, 1, 1}, 1}};
  data::Item other{.file = 1, .target = {{0, 1, 0}, {1, 1, 1}, 1}};
  d.items = {whole, late, other};
  formats::PseudoTable teacher;  // written from another directory: matched by folder/file name
  teacher.classes = {"a", "b"};
  teacher.rows = {{"elsewhere/a/XC1.ogg", 0, 5, {0.2f, 0.9f}, 2},
                  {"elsewhere/a/XC1.ogg", 5, 10, {0.6f, 0.1f}, 3}};
  const auto r = data::apply_teacher(d, teacher, teacher_config(false, false), {0, 1, 2}, "t.csv");
  EXPECT_EQ(r.blended, 2u);
  EXPECT_EQ(r.unlabelled, 1u);
  EXPECT_EQ(r.train_items, (std::vector<std::size_t>{0, 1, 2}));
  // whole: max over both chunks (0.6, 0.9); c untouched.
  EXPECT_FLOAT_EQ(d.items[0].target.values[0], 0.95f + 0.05f * 0.6f);
  EXPECT_FLOAT_EQ(d.items[0].target.values[1], 0.05f * 0.9f);
  EXPECT_FLOAT_EQ(d.items[0].target.values[2], 0.0f);
  EXPECT_EQ(*r.outcomes[0].top1, 1u);  // b, 0.9
  EXPECT_FLOAT_EQ(r.outcomes[0].top1_probability, 0.9f);
  // late (6–9 s): only the second chunk.
  EXPECT_FLOAT_EQ(d.items[1].target.values[0], 0.95f + 0.05f * 0.6f);
  EXPECT_FLOAT_EQ(d.items[1].target.values[1], 0.05f * 0.1f);
  EXPECT_EQ(d.items[2].target.values, (std::vector<float>{0, 1, 0}));  // no teacher rows
  EXPECT_EQ(r.outcomes[2].decision, data::TeacherDecision::unlabelled);
}

// Three clips: XC1 labelled a (secondary b), XC2 labelled b (secondary c), XC3 labelled c. The
// teacher hears b in XC1 (a secondary: promote), a in XC2 (none of its labels: drop), c in XC3
// (agrees).
struct Clips {
  data::Dataset d = three_classes();
  formats::PseudoTable teacher;
  Clips() {
    d.items = {{.file = 0, .target = {{1, 0.5f, 0}, {1, 1, 1}, 1}, .labels = {0, 1}},
               {.file = 1, .target = {{0, 1, 0}, {1, 1, 0}, 1}, .labels = {1, 2}},
               {.file = 2, .target = {{0, 0, 1}, {1, 1, 1}, 1}, .labels = {2}}};
    teacher.classes = {"a", "b", "c"};
    teacher.rows = {{"a/XC1.ogg", 0, 5, {0.3f, 0.8f, 0}, 2},
                    {"b/XC2.ogg", 0, 5, {0.7f, 0.2f, 0.1f}, 3},
                    {"c/XC3.ogg", 0, 5, {0, 0, 0.9f}, 4}};
  }
};

TEST(TeacherLabels, DisagreeingClipsDroppedAndSecondariesPromoted) {
  Clips c;
  const auto r =
      data::apply_teacher(c.d, c.teacher, teacher_config(true, true, 0.0), {0, 1, 2}, "t.csv");
  EXPECT_EQ(r.promoted, 1u);
  EXPECT_EQ(r.dropped, 1u);
  EXPECT_EQ(r.blended, 2u);
  EXPECT_EQ(r.train_items, (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(r.outcomes[0].decision, data::TeacherDecision::promoted);
  EXPECT_EQ(r.outcomes[1].decision, data::TeacherDecision::dropped);
  EXPECT_EQ(r.outcomes[2].decision, data::TeacherDecision::kept);
  // XC1: b is the primary now, a the secondary (values swapped; blend 0 leaves them so).
  EXPECT_EQ(c.d.items[0].target.values, (std::vector<float>{0.5f, 1, 0}));
  EXPECT_EQ(c.d.items[0].labels, (std::vector<std::size_t>{1, 0}));

  // Without the options every clip is kept and blended; with only dropping, XC1 (its top-1 is
  // one of its labels) stays as it was.
  Clips plain;
  EXPECT_EQ(
      data::apply_teacher(plain.d, plain.teacher, teacher_config(false, false), {0, 1, 2}, "t.csv")
          .train_items.size(),
      3u);
  Clips drop_only;
  const auto d = data::apply_teacher(drop_only.d, drop_only.teacher, teacher_config(true, false, 0),
                                     {0, 1, 2}, "t.csv");
  EXPECT_EQ(d.train_items, (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(drop_only.d.items[0].target.values, (std::vector<float>{1, 0.5f, 0}));
  // The mask travels with the value: XC2 promoted to c would carry c's mask 0 to b.
  Clips masked;
  masked.teacher.rows[1].probabilities = {0.1f, 0.2f, 0.7f};
  data::apply_teacher(masked.d, masked.teacher, teacher_config(false, true, 0), {1}, "t.csv");
  EXPECT_EQ(masked.d.items[1].target.values, (std::vector<float>{0, 0, 1}));
  EXPECT_EQ(masked.d.items[1].target.mask, (std::vector<float>{1, 0, 1}));
}

// RFCX: the cells a box's annotations leave out (mask 0) take the teacher's probability, with
// the configured weight as their mask; known cells keep their truth (blend 0 here).
TEST(TeacherLabels, MaskedCellsFilledWithTheirOwnWeight) {
  data::Dataset d = three_classes();
  d.items = {{.file = 0, .target = {{1, 0, 0}, {1, 0, 0}, 1}}};  // a present; b, c unknown
  formats::PseudoTable teacher;
  teacher.classes = {"b", "c"};
  teacher.rows = {{"a/XC1.ogg", 0, 5, {0.3f, 0.8f}, 2}};
  data::DataConfig config = teacher_config(false, false, 0.0);
  config.teacher_masked_weight = 0.5;
  const auto r = data::apply_teacher(d, teacher, config, {0}, "t.csv");
  EXPECT_EQ(r.filled_cells, 2u);
  EXPECT_EQ(d.items[0].target.values, (std::vector<float>{1, 0.3f, 0.8f}));
  EXPECT_EQ(d.items[0].target.mask, (std::vector<float>{1, 0.5f, 0.5f}));
  // Weight 0 (the default): they stay out of the loss.
  data::Dataset same = three_classes();
  same.items = {{.file = 0, .target = {{1, 0, 0}, {1, 0, 0}, 1}}};
  data::apply_teacher(same, teacher, teacher_config(false, false, 0.0), {0}, "t.csv");
  EXPECT_EQ(same.items[0].target.mask, (std::vector<float>{1, 0, 0}));
}

TEST(TeacherLabels, OnlyTrainingItemsAndJudgedClips) {
  Clips c;
  // Item 1 is held out: neither dropped nor blended, and not in the report.
  const auto r =
      data::apply_teacher(c.d, c.teacher, teacher_config(true, true, 0.5), {0, 2}, "t.csv");
  EXPECT_EQ(r.outcomes.size(), 2u);
  EXPECT_EQ(c.d.items[1].target.values, (std::vector<float>{0, 1, 0}));
  // A teacher without a column for a clip's primary label cannot disagree with it.
  Clips partial;
  partial.teacher.classes = {"a", "c"};
  for (auto& row : partial.teacher.rows) row.probabilities.pop_back();
  partial.teacher.rows[1].probabilities = {0.9f, 0.0f};  // XC2 (labelled b): a, but no b column
  const auto p =
      data::apply_teacher(partial.d, partial.teacher, teacher_config(true, false), {1}, "t.csv");
  EXPECT_EQ(p.dropped, 0u);
  EXPECT_EQ(p.outcomes[0].decision, data::TeacherDecision::kept);
}

}  // namespace
}  // namespace chorus
