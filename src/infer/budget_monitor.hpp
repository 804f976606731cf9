#pragma once
// The --budget planner wired into a prediction run. Workers report each finished recording
// (thread-safe); as soon as the sample is enough (ready_to_plan) the monitor projects once, logs
// the summary line and writes <out>/budget.json; at the end of the run it rewrites budget.json
// from every recording with the time the run actually took, so projection and outcome can be
// compared.

#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "infer/budget_planner.hpp"
#include "infer/prediction_run.hpp"

namespace chorus::infer {

class BudgetMonitor {
 public:
  // `total_audio_seconds`: what the run will predict (the lengths of pending_recordings from their
  // headers); `workers`: recordings predicted at once; `log` receives the summary line.
  BudgetMonitor(double budget_seconds, double total_audio_seconds, int workers,
                std::filesystem::path json_path, std::function<void(const std::string&)> log);

  void record(const FinishedRecording& recording);
  // The final budget.json (nothing when no recording was predicted). Returns the final plan.
  std::optional<BudgetPlan> finish();
  // The projection made during the run, once there is one.
  std::optional<BudgetPlan> early_plan() const;

 private:
  double seconds_since_start() const;

  double budget_seconds_;
  double total_audio_seconds_;
  int workers_;
  std::filesystem::path json_path_;
  std::function<void(const std::string&)> log_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  mutable std::mutex mutex_;
  ThroughputSample sample_;
  std::optional<BudgetPlan> early_;
};

}  // namespace chorus::infer
