// The --budget projection on hand-made timings, the moment it projects, and the monitor that
// writes budget.json during and after a run.

#include "infer/budget_planner.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "infer/budget_monitor.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

// 4 recordings, 240 s of audio in 12 worker-seconds, 3 of them in each of two models:
// per audio second 0.0125 per member, 0.025 shared.
infer::ThroughputSample two_member_sample() {
  infer::ThroughputSample s;
  for (int i = 0; i < 4; ++i) s.add(60, 3, {{"a", 0.75}, {"b", 0.75}});
  return s;
}

TEST(BudgetPlanner, ProjectsTheRunAndTheLargestEnsemble) {
  const infer::BudgetPlan p = infer::plan_budget(two_member_sample(), 3600, 600, 2);
  EXPECT_EQ(p.measured.recordings, 4u);
  EXPECT_DOUBLE_EQ(p.member_cost.at("a"), 0.0125);
  EXPECT_DOUBLE_EQ(p.member_cost.at("b"), 0.0125);
  EXPECT_DOUBLE_EQ(p.shared_cost, 0.025);
  // 3600 s × (0.025 + 2 × 0.0125) / 2 workers.
  EXPECT_DOUBLE_EQ(p.projected_seconds, 90);
  EXPECT_DOUBLE_EQ(p.projected_remaining_seconds, 84);  // the 3360 s not measured
  EXPECT_TRUE(p.fits);
  EXPECT_EQ(p.members, 2);
  // 24 members: 3600 × (0.025 + 24 × 0.0125) / 2 = 585 s ≤ 600; 25 would take 607.5 s.
  EXPECT_EQ(p.max_members, 24);
}

TEST(BudgetPlanner, TightBudgets) {
  // 60 s: the pair needs 90 s and even one member 67.5 s.
  const infer::BudgetPlan tight = infer::plan_budget(two_member_sample(), 3600, 60, 2);
  EXPECT_FALSE(tight.fits);
  EXPECT_EQ(tight.max_members, 0);
  // 30 s: the shared work alone (45 s) is over.
  EXPECT_EQ(infer::plan_budget(two_member_sample(), 3600, 30, 2).max_members, 0);
  // One worker doubles the time.
  EXPECT_DOUBLE_EQ(infer::plan_budget(two_member_sample(), 3600, 600, 1).projected_seconds, 180);
  EXPECT_THROW(infer::plan_budget(infer::ThroughputSample{}, 3600, 600, 1), Error);
}

TEST(BudgetPlanner, ProjectsAfterAMinuteAndFivePercentOrTwoRecordingsPerWorker) {
  infer::ThroughputSample s;
  EXPECT_FALSE(infer::ready_to_plan(s, 10000, 2));
  s.add(30, 1, {});
  EXPECT_FALSE(infer::ready_to_plan(s, 10000, 2));  // under a minute
  s.add(90, 1, {});
  EXPECT_FALSE(infer::ready_to_plan(s, 10000, 2));  // 120 s: 1.2 %, 2 recordings of 4
  s.add(30, 1, {});
  s.add(30, 1, {});
  EXPECT_TRUE(infer::ready_to_plan(s, 10000, 2));  // 4 recordings
  infer::ThroughputSample long_one;
  long_one.add(600, 10, {});
  EXPECT_TRUE(infer::ready_to_plan(long_one, 10000, 2));  // 6 %
  infer::ThroughputSample all;
  all.add(20, 1, {});
  EXPECT_TRUE(infer::ready_to_plan(all, 20, 2));  // everything there is, under a minute
}

TEST(BudgetMonitor, WritesTheProjectionThenTheOutcome) {
  testing::TempDir dir;
  std::vector<std::string> lines;
  infer::BudgetMonitor monitor(600, 300, 1, dir / "budget.json",
                               [&](const std::string& l) { lines.push_back(l); });
  const auto finished = [](double audio, double worker, double model) {
    infer::FinishedRecording r;
    r.audio_seconds = audio;
    r.worker_seconds = worker;
    r.timings.model_seconds = {{"m", model}};
    return r;
  };
  monitor.record(finished(30, 1, 0.5));
  EXPECT_FALSE(std::filesystem::exists(dir / "budget.json"));  // under a minute of audio
  EXPECT_FALSE(monitor.early_plan());
  monitor.record(finished(30, 1, 0.5));
  ASSERT_TRUE(monitor.early_plan());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("fits"), std::string::npos) << lines[0];
  auto json = nlohmann::json::parse(testing::read_text(dir / "budget.json"));
  EXPECT_EQ(json["final"], false);
  EXPECT_EQ(json["measured"]["recordings"], 2);
  // 300 s × 2 worker-seconds / 60 audio-seconds on one worker.
  EXPECT_DOUBLE_EQ(json["projected_seconds"].get<double>(), 10.0);
  EXPECT_DOUBLE_EQ(json["cost_per_audio_second"]["members"]["m"].get<double>(), 1.0 / 60);

  monitor.record(finished(240, 4, 2));
  EXPECT_EQ(lines.size(), 1u);  // projected once
  ASSERT_TRUE(monitor.finish());
  json = nlohmann::json::parse(testing::read_text(dir / "budget.json"));
  EXPECT_EQ(json["final"], true);
  EXPECT_EQ(json["measured"]["recordings"], 3);
  EXPECT_GE(json["actual_seconds"].get<double>(), 0.0);
  EXPECT_THROW(infer::BudgetMonitor(0, 300, 1, dir / "x.json", {}), ConfigError);
}

}  // namespace
}  // namespace chorus
