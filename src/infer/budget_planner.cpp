#include "infer/budget_planner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/error.hpp"

namespace chorus::infer {
namespace {

constexpr double kMinimumAudioSeconds = 60;
constexpr double kAudioFraction = 0.05;
constexpr std::size_t kRecordingsPerWorker = 2;

std::string minutes_text(double seconds) {
  return seconds < 120 ? fmt::format("{:.0f} s", seconds) : fmt::format("{:.1f} min", seconds / 60);
}

}  // namespace

void ThroughputSample::add(double audio, double worker,
                           const std::map<std::string, double>& model) {
  ++recordings;
  audio_seconds += audio;
  worker_seconds += worker;
  for (const auto& [name, seconds] : model) model_seconds[name] += seconds;
}

BudgetPlan plan_budget(const ThroughputSample& measured, double total_audio_seconds,
                       double budget_seconds, int workers) {
  CHORUS_CHECK(measured.audio_seconds > 0, "--budget: no audio measured yet to project from");
  CHORUS_CHECK(workers >= 1, "--budget: {} workers", workers);
  BudgetPlan p;
  p.budget_seconds = budget_seconds;
  p.total_audio_seconds = std::max(total_audio_seconds, measured.audio_seconds);
  p.workers = workers;
  p.measured = measured;
  p.members = static_cast<int>(measured.model_seconds.size());
  double model_cost = 0;
  for (const auto& [name, seconds] : measured.model_seconds) {
    p.member_cost[name] = seconds / measured.audio_seconds;
    model_cost += p.member_cost[name];
  }
  // Whatever is not model time is shared; clamped in case timer jitter puts models above all.
  p.shared_cost = std::max(0.0, measured.worker_seconds / measured.audio_seconds - model_cost);
  const double per_audio_second = (p.shared_cost + model_cost) / workers;
  p.projected_seconds = p.total_audio_seconds * per_audio_second;
  p.projected_remaining_seconds =
      (p.total_audio_seconds - measured.audio_seconds) * per_audio_second;
  p.fits = p.projected_seconds <= budget_seconds;
  // k members fit while total × (shared + k × mean) / workers ≤ budget.
  const double mean_member = p.members > 0 ? model_cost / p.members : 0;
  const double affordable = budget_seconds * workers / p.total_audio_seconds - p.shared_cost;
  if (mean_member > 0)
    p.max_members =
        affordable < 0 ? 0 : static_cast<int>(std::min(1e6, std::floor(affordable / mean_member)));
  else
    p.max_members = p.fits ? p.members : 0;  // no model time measured: nothing to scale by
  return p;
}

bool ready_to_plan(const ThroughputSample& measured, double total_audio_seconds, int workers) {
  if (measured.audio_seconds <= 0) return false;
  if (measured.audio_seconds >= total_audio_seconds) return true;  // everything is done
  if (measured.audio_seconds < kMinimumAudioSeconds) return false;
  return measured.audio_seconds >= kAudioFraction * total_audio_seconds ||
         measured.recordings >=
             kRecordingsPerWorker * static_cast<std::size_t>(std::max(1, workers));
}

std::string budget_summary(const BudgetPlan& p) {
  std::vector<std::string> members;
  for (const auto& [name, cost] : p.member_cost)
    members.push_back(fmt::format("{} {:.4f}", name, cost));
  return fmt::format(
      "budget: measured {} recordings ({:.0f} s of audio); worker seconds per audio second: shared "
      "{:.4f}, {}; "
      "{:.0f} s of audio on {} workers projected at {} of {}: {}; the largest ensemble that fits "
      "has {} members",
      p.measured.recordings, p.measured.audio_seconds, p.shared_cost, fmt::join(members, ", "),
      p.total_audio_seconds, p.workers, minutes_text(p.projected_seconds),
      minutes_text(p.budget_seconds), p.fits ? "fits" : "does NOT fit", p.max_members);
}

std::string budget_json(const BudgetPlan& p, double actual_seconds) {
  nlohmann::json j;
  j["budget_seconds"] = p.budget_seconds;
  j["total_audio_seconds"] = p.total_audio_seconds;
  j["workers"] = p.workers;
  j["members"] = p.members;
  j["projected_seconds"] = p.projected_seconds;
  j["projected_remaining_seconds"] = p.projected_remaining_seconds;
  j["projected_real_time_factor"] =
      p.projected_seconds > 0 ? p.total_audio_seconds / p.projected_seconds : 0.0;
  j["fits"] = p.fits;
  j["max_members_within_budget"] = p.max_members;
  j["cost_per_audio_second"] = {{"shared", p.shared_cost}, {"members", p.member_cost}};
  j["measured"] = {{"recordings", p.measured.recordings},
                   {"audio_seconds", p.measured.audio_seconds},
                   {"worker_seconds", p.measured.worker_seconds},
                   {"model_seconds", p.measured.model_seconds},
                   {"wall_seconds", p.measured.wall_seconds}};
  j["final"] = actual_seconds >= 0;
  if (actual_seconds >= 0) j["actual_seconds"] = actual_seconds;
  return j.dump(2) + "\n";
}

}  // namespace chorus::infer
