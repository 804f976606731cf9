// Outputs parsed back: the submission by the score-table reader, the Raven table by the Raven
// reader and the detections table by the detections reader of the data layer; detection events
// merge consecutive chunks.

#include "infer/output_writers.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "formats/detections_table.hpp"
#include "formats/raven_table.hpp"
#include "formats/score_table.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

constexpr int kRate = 32000;

infer::RecordingScores recording(const std::string& path, const std::string& stem, double seconds,
                                 std::vector<float> scores) {
  infer::RecordingScores r;
  r.path = path;
  r.stem = stem;
  r.sample_rate = kRate;
  r.duration_seconds = seconds;
  r.chunks = infer::plan_chunks(stem, static_cast<std::int64_t>(seconds * kRate), kRate, {}).chunks;
  r.scores = infer::ScoreMatrix(r.chunks.size(), 2);
  r.scores.values = std::move(scores);
  return r;
}

const std::vector<std::string> kClasses = {"amerob", "gowwar"};

std::vector<infer::RecordingScores> two_recordings() {
  // a.ogg: 12 s, chunks 0–5, 5–10, 10–12; b.ogg: 5 s.
  return {recording("dir/a.ogg", "a", 12, {0.9f, 0.1f, 0.8f, 0.2f, 0.1f, 0.7f}),
          recording("dir/b.ogg", "b", 5, {0.2f, 0.6f})};
}

// Consecutive chunks joined without bound (merge_consecutive as large as the recordings).
constexpr infer::DetectionRules kMergeAll{.threshold = 0.5, .merge_consecutive = 1000};

TEST(DetectionEvents, ConsecutiveChunksMerge) {
  const auto events = infer::detection_events(two_recordings(), kMergeAll);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].cls, 0u);  // amerob in a.ogg 0–10 s, max 0.9
  EXPECT_DOUBLE_EQ(events[0].end_seconds, 10.0);
  EXPECT_FLOAT_EQ(events[0].score, 0.9f);
  EXPECT_DOUBLE_EQ(events[1].start_seconds, 10.0);  // gowwar in a.ogg 10–12 s (clipped to the end)
  EXPECT_DOUBLE_EQ(events[1].end_seconds, 12.0);
  EXPECT_EQ(events[2].recording, 1u);
}

TEST(DetectionEvents, MergeConsecutiveBoundsAnEvent) {
  // amerob above 0.5 in all five chunks of a 25 s recording.
  const auto rec = recording("c.ogg", "c", 25, {0.9f, 0, 0.6f, 0, 0.7f, 0, 0.8f, 0, 0.95f, 0});
  const auto starts_and_ends = [&](int merge) {
    std::vector<std::pair<double, double>> spans;
    for (const auto& e : infer::detection_events({rec}, {.merge_consecutive = merge}))
      spans.emplace_back(e.start_seconds, e.end_seconds);
    return spans;
  };
  using Spans = std::vector<std::pair<double, double>>;
  EXPECT_EQ(starts_and_ends(1), (Spans{{0, 5}, {5, 10}, {10, 15}, {15, 20}, {20, 25}}));
  EXPECT_EQ(starts_and_ends(2), (Spans{{0, 10}, {10, 20}, {20, 25}}));
  EXPECT_EQ(starts_and_ends(5), (Spans{{0, 25}}));
  const auto two = infer::detection_events({rec}, {.merge_consecutive = 2});
  EXPECT_FLOAT_EQ(two[1].score, 0.8f);  // the maximum of chunks 3 and 4
}

TEST(DetectionEvents, ThresholdAndTopK) {
  // One 10 s recording, 3 classes: chunk 0 scores 0.9, 0.6, 0.7; chunk 1 0.1, 0.5, 0.2.
  infer::RecordingScores r = recording("d.ogg", "d", 10, {});
  r.scores = infer::ScoreMatrix(2, 3);
  r.scores.values = {0.9f, 0.6f, 0.7f, 0.1f, 0.5f, 0.2f};
  const auto events = infer::detection_events({r}, {.threshold = 0.5, .top_k = 2});
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].cls, 0u);  // chunk 0: 0.9 and 0.7 (0.6 is third)
  EXPECT_EQ(events[1].cls, 2u);
  EXPECT_EQ(events[2].cls, 1u);  // chunk 1: 0.5 ≥ the threshold
  EXPECT_DOUBLE_EQ(events[2].start_seconds, 5.0);
  EXPECT_EQ(infer::detection_events({r}, {.threshold = 0.5, .top_k = 1}).size(), 2u);
  EXPECT_EQ(infer::detection_events({r}, {.threshold = 0.95}).size(), 0u);
}

TEST(OutputWriters, SubmissionAndRavenReadBack) {
  testing::TempDir dir;
  const auto recordings = two_recordings();
  infer::write_submission(dir / "sub.csv", kClasses, recordings);
  const formats::ScoreTable sub = formats::read_score_table(dir / "sub.csv");
  EXPECT_EQ(sub.row_ids, (std::vector<std::string>{"a_5", "a_10", "a_15", "b_5"}));
  EXPECT_EQ(sub.classes, kClasses);

  const auto events = infer::detection_events(recordings, kMergeAll);
  // amerob has names, gowwar none: its code stands in.
  const formats::SpeciesNames names{.scientific = {"Turdus migratorius", ""},
                                    .common = {"American Robin", ""}};
  infer::write_raven_table(dir / "all.selections.txt", kClasses, names, recordings, events,
                           {40, 15000});
  const formats::RavenTable table = formats::RavenTable::read(dir / "all.selections.txt");
  ASSERT_EQ(table.selections.size(), 3u);
  // b.ogg's detection: 12 s into the table (after a.ogg), 0 s into its own file.
  EXPECT_DOUBLE_EQ(table.selections[2].box.begin_s, 12.0);
  EXPECT_EQ(table.selections[2].begin_file, "b.ogg");
  EXPECT_EQ(table.selections[2].begin_path, "dir/b.ogg");
  EXPECT_DOUBLE_EQ(table.selections[2].box_in_file().begin_s, 0.0);
  EXPECT_EQ(table.selections[2].label, "gowwar");
  const formats::RavenTable common =
      formats::RavenTable::read(dir / "all.selections.txt", "Common Name");
  EXPECT_EQ(common.selections[0].label, "American Robin");
  EXPECT_EQ(common.selections[2].label, "gowwar");
  infer::write_kaleidoscope_csv(dir / "k.csv", kClasses, names, recordings, events);
  EXPECT_EQ(testing::read_text(dir / "k.csv"),
            "INDIR,FOLDER,IN FILE,OFFSET,DURATION,scientific_name,common_name,confidence\n"
            ",dir,a.ogg,0.000,10.000,Turdus migratorius,American Robin,0.9\n"
            ",dir,a.ogg,10.000,2.000,gowwar,gowwar,0.7\n"
            ",dir,b.ogg,0.000,5.000,gowwar,gowwar,0.6\n");

  infer::write_audacity_labels(dir / "a.txt", kClasses, events, 0);
  EXPECT_EQ(testing::read_text(dir / "a.txt"),
            "0.000\t10.000\tamerob 0.900\n10.000\t12.000\tgowwar 0.700\n");
  infer::write_detections_csv(dir / "d.csv", kClasses, recordings, events);
  const auto a_rows = formats::detections_of(formats::read_detections_csv(dir / "d.csv"),
                                             "dir/a.ogg", dir / "d.csv");
  ASSERT_EQ(a_rows.size(), 2u);
  EXPECT_EQ(a_rows[1].cls, "gowwar");
  EXPECT_EQ(a_rows[1].start_seconds, 10.0);
  EXPECT_EQ(a_rows[1].end_seconds, 12.0);
  EXPECT_FLOAT_EQ(static_cast<float>(a_rows[1].score), 0.7f);
  infer::write_detections_json(dir / "d.json", kClasses, recordings, events);
  const auto json = nlohmann::json::parse(testing::read_text(dir / "d.json"));
  ASSERT_EQ(json.size(), 3u);
  EXPECT_EQ(json[2]["recording"], "dir/b.ogg");
  infer::write_species_summary(dir / "s.csv", kClasses, events);
  EXPECT_EQ(testing::read_text(dir / "s.csv"),
            "class,recordings,detections,seconds,top_score\n"
            "amerob,1,1,10.0,0.9\ngowwar,2,2,7.0,0.7\n");
}

TEST(OutputWriters, DetectionsJsonIsLaidOutAsNlohmannWritesIt) {
  // Paths that JSON must escape (a quote, a backslash, a control character, UTF-8), a score
  // that is not a short decimal as a double, seconds that are whole numbers.
  testing::TempDir dir;
  std::vector<infer::RecordingScores> recordings = {
      recording("dir/say \"hi\".ogg", "a", 10, {0.9f, 0.1f, 0.1f, 0.7f}),
      recording("back\\slash\tand é.ogg", "b", 5, {0.2f, 0.6f})};
  recordings[1].channel = 2;
  const auto events = infer::detection_events(recordings, {.threshold = 0.5});
  ASSERT_EQ(events.size(), 3u);
  infer::write_detections_json(dir / "d.json", kClasses, recordings, events);
  const std::string text = testing::read_text(dir / "d.json");
  const auto json = nlohmann::json::parse(text);
  EXPECT_EQ(json.dump(2) + "\n", text);
  ASSERT_EQ(json.size(), 3u);
  EXPECT_EQ(json[0]["recording"], "dir/say \"hi\".ogg");
  EXPECT_EQ(json[2]["recording"], "back\\slash\tand é.ogg");
  EXPECT_EQ(json[2]["channel"], 2);
  EXPECT_EQ(json[1]["class"], "gowwar");
  // Seconds stay floats (5.0, not 5), and a score reads back as the float it was.
  EXPECT_TRUE(json[1]["start_s"].is_number_float());
  EXPECT_EQ(json[1]["start_s"].get<double>(), 5.0);
  EXPECT_EQ(json[1]["score"].get<float>(), 0.7f);
  EXPECT_EQ(json[2]["score"].get<float>(), 0.6f);
  // JSON has no NaN: a score that is not a number is written as null, as nlohmann writes it.
  infer::write_detections_json(dir / "nan.json", kClasses, recordings,
                               {{0, 1, 0.0, 5.0, std::numeric_limits<float>::quiet_NaN()}});
  EXPECT_TRUE(nlohmann::json::parse(testing::read_text(dir / "nan.json"))[0]["score"].is_null());
  // No detections: an empty array.
  infer::write_detections_json(dir / "none.json", kClasses, recordings, {});
  EXPECT_EQ(testing::read_text(dir / "none.json"), "[]\n");
}

}  // namespace
}  // namespace chorus
