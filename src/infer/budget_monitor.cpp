#include "infer/budget_monitor.hpp"

#include "audio/audio_decoder.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace chorus::infer {

BudgetMonitor::BudgetMonitor(double budget_seconds, double total_audio_seconds, int workers,
                             std::filesystem::path json_path,
                             std::function<void(const std::string&)> log)
    : budget_seconds_(budget_seconds),
      total_audio_seconds_(total_audio_seconds),
      workers_(std::max(1, workers)),
      json_path_(std::move(json_path)),
      log_(std::move(log)) {
  CHORUS_CHECK_AS(ConfigError, budget_seconds > 0, "--budget {} minutes: expected > 0",
                  budget_seconds / 60);
}

double BudgetMonitor::seconds_since_start() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void BudgetMonitor::record(const FinishedRecording& recording) {
  std::lock_guard lock(mutex_);
  sample_.add(recording.audio_seconds, recording.worker_seconds, recording.timings.model_seconds);
  sample_.wall_seconds = seconds_since_start();
  if (early_ || !ready_to_plan(sample_, total_audio_seconds_, workers_)) return;
  early_ = plan_budget(sample_, total_audio_seconds_, budget_seconds_, workers_);
  core::write_file_atomically(json_path_, budget_json(*early_));
  if (log_) log_(budget_summary(*early_));
}

std::optional<BudgetPlan> BudgetMonitor::finish() {
  std::lock_guard lock(mutex_);
  if (sample_.audio_seconds <= 0) return std::nullopt;
  sample_.wall_seconds = seconds_since_start();
  const BudgetPlan final_plan =
      plan_budget(sample_, total_audio_seconds_, budget_seconds_, workers_);
  core::write_file_atomically(json_path_, budget_json(final_plan, sample_.wall_seconds));
  return final_plan;
}

std::optional<BudgetPlan> BudgetMonitor::early_plan() const {
  std::lock_guard lock(mutex_);
  return early_;
}

}  // namespace chorus::infer
