// The warmup + cosine schedule against torch.optim.lr_scheduler (SequentialLR of LinearLR and
// CosineAnnealingLR) stepping a real optimizer, read back from a real AdamW here.

#include <gtest/gtest.h>
#include <torch/optim/adamw.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "support/test_support.hpp"
#include "train/lr_schedule.hpp"

namespace chorus {
namespace {

struct ScheduleCase {
  int epochs;
  int steps_per_epoch;
  double warmup_epochs, lr, min_lr;
};

const std::map<std::string, ScheduleCase> kCases = {
    {"whole_epoch_warmup", {3, 10, 1.0, 1e-3, 1e-6}},
    {"fractional_warmup", {4, 7, 0.3, 3e-4, 1e-5}},  // 2.1 → 2 steps
    {"no_warmup", {2, 5, 0.0, 1e-3, 0.0}},
};

// Every case's rates, from one run of the oracle.
const std::map<std::string, std::vector<double>>& oracle_rates() {
  static const auto rates = [] {
    std::vector<std::string> names;
    for (const auto& [name, c] : kCases) names.push_back(name);
    const auto folders = testing::run_oracle_once(
        "lr_schedule_oracle.py", names,
        [](const std::string& name, const std::filesystem::path& folder) {
          const ScheduleCase& c = kCases.at(name);
          return std::vector<std::string>{
              (folder / "rates.txt").string(),   std::to_string(c.epochs),
              std::to_string(c.steps_per_epoch), fmt::format("{:.17g}", c.warmup_epochs),
              fmt::format("{:.17g}", c.lr),      fmt::format("{:.17g}", c.min_lr)};
        });
    std::map<std::string, std::vector<double>> out;
    for (const auto& [name, folder] : folders) {
      std::ifstream in(folder / "rates.txt");
      for (double r; in >> r;) out[name].push_back(r);
    }
    return out;
  }();
  return rates;
}

void expect_schedule_matches(const std::string& name) {
  const ScheduleCase& k = kCases.at(name);
  train::TrainConfig c;
  c.epochs = k.epochs;
  c.warmup_epochs = k.warmup_epochs;
  c.lr = k.lr;
  c.min_lr = k.min_lr;
  const int steps_per_epoch = k.steps_per_epoch;
  const std::vector<double>& expected = oracle_rates().at(name);
  ASSERT_EQ(expected.size(), static_cast<std::size_t>(c.epochs * steps_per_epoch + 1));
  // Two groups, as make_optimizer builds them: the rate must reach both.
  torch::optim::AdamW optimizer(
      {torch::optim::OptimizerParamGroup({torch::zeros({2}, torch::requires_grad())}),
       torch::optim::OptimizerParamGroup({torch::zeros({2, 2}, torch::requires_grad())})});
  for (std::size_t step = 0; step < expected.size(); ++step) {
    const double lr = train::learning_rate_at(c, static_cast<std::int64_t>(step), steps_per_epoch);
    train::set_learning_rate(optimizer, lr);
    for (const auto& group : optimizer.param_groups())
      EXPECT_NEAR(group.options().get_lr(), expected[step], 1e-12 * c.lr) << "step " << step;
  }
}

TEST(LrScheduleOracle, WholeEpochWarmupThenCosine) {
  expect_schedule_matches("whole_epoch_warmup");
}

TEST(LrScheduleOracle, FractionalWarmup) { expect_schedule_matches("fractional_warmup"); }

TEST(LrScheduleOracle, NoWarmupIsCosineAlone) { expect_schedule_matches("no_warmup"); }

}  // namespace
}  // namespace chorus
