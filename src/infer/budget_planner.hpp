#pragma once
// `chorus predict --budget MINUTES`: will the run finish in time, and how large an ensemble would?
//
// After the first recordings the run knows what a second of audio costs: the work every member
// shares (decoding, features, pooling, writing the part) and each member's forward passes. The
// projection spreads that over the audio still to predict and the workers predicting it:
//   time(k members) = audio × (shared + k × mean member cost) / workers
// — features are computed once whatever the ensemble's size (members with the same settings
// share them), model time grows with every member. It assumes the workers stay busy and later
// recordings cost what the first did per second of audio.

#include <cstddef>
#include <map>
#include <string>

namespace chorus::infer {

// What the recordings finished so far cost.
struct ThroughputSample {
  std::size_t recordings = 0;
  double audio_seconds = 0;   // of audio predicted
  double worker_seconds = 0;  // wall time the workers spent on them, summed over workers
  std::map<std::string, double> model_seconds;  // part of worker_seconds in each member's model
  double wall_seconds = 0;  // since the run started (reported, not used in the projection)

  void add(double audio, double worker, const std::map<std::string, double>& model);
};

struct BudgetPlan {
  double budget_seconds = 0;
  double total_audio_seconds = 0;  // everything this run predicts, the measured part included
  int workers = 1;                 // recordings predicted at once
  ThroughputSample measured;
  double shared_cost = 0;                     // worker seconds per audio second outside the models
  std::map<std::string, double> member_cost;  // worker seconds per audio second in each model
  double projected_seconds = 0;               // the whole run with the current ensemble
  double projected_remaining_seconds = 0;     // from the measurement on
  bool fits = false;                          // projected_seconds ≤ budget_seconds
  int members = 0;
  int max_members = 0;  // the largest ensemble (of members costing the mean) that fits; 0: none
};

// The projection from a sample of at least one recording with audio; workers ≥ 1.
BudgetPlan plan_budget(const ThroughputSample& measured, double total_audio_seconds,
                       double budget_seconds, int workers);

// Whether a sample is enough to project from: at least a minute of audio (or all of it) and
// then 5 % of the audio or two recordings per worker, whichever comes first (the first
// recordings pay one-time costs — FFT plans, caches — so one is not enough).
bool ready_to_plan(const ThroughputSample& measured, double total_audio_seconds, int workers);

// One line for the log: cost per audio second, projection, verdict, largest ensemble.
std::string budget_summary(const BudgetPlan& plan);
// budget.json: every field above, costs per member, and when `actual_seconds` ≥ 0 (the run's
// end) the time the run took.
std::string budget_json(const BudgetPlan& plan, double actual_seconds = -1);

}  // namespace chorus::infer
