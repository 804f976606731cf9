// Every metric against scikit-learn, to 1e-9, on the random and adversarial cases that
// tests/oracles/metrics_oracle.py generates from a fixed seed (ties, all-equal scores, classes
// without positives or negatives, one row, perfect and inverted predictions, quantised scores,
// signed zeros, masks). The script writes float32 .npy cases and a JSON of expected values; null
// there means the metric is undefined, where chorus must throw (or report NaN per class).

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/npy.hpp"
#include "metrics/average_precision.hpp"
#include "metrics/class_metrics.hpp"
#include "metrics/f1_score.hpp"
#include "metrics/lwlrap.hpp"
#include "metrics/metric_summary.hpp"
#include "metrics/roc_auc.hpp"
#include "metrics/top1_accuracy.hpp"

namespace chorus::metrics {
namespace {

constexpr double kTolerance = 1e-9;
constexpr int kDefaultSeed = 20240601;
constexpr int kOracleSkipStatus = 77;  // the script's "numpy or sklearn missing"

// CHORUS_ORACLE_SEED=<n> draws other cases, to explore beyond the fixed ones.
int oracle_seed() {
  const char* seed = std::getenv("CHORUS_ORACLE_SEED");
  return seed != nullptr ? std::atoi(seed) : kDefaultSeed;
}

struct OracleCase {
  std::string name;
  core::NpyArray scores;
  core::NpyArray truth;
  core::NpyArray mask;  // empty when every cell is known
  std::size_t padding = 0;
  double f1_threshold = 0.0;
  std::vector<double> thresholds;
  nlohmann::json expected;

  LabelledScores data() const {
    const auto rows = static_cast<std::size_t>(scores.shape.at(0));
    const auto cols = static_cast<std::size_t>(scores.shape.at(1));
    const MatrixView score_view(scores.data, rows, cols);
    const MatrixView truth_view(truth.data, rows, cols);
    if (mask.data.empty()) return LabelledScores(score_view, truth_view);
    return LabelledScores(score_view, truth_view, MatrixView(mask.data, rows, cols));
  }
  // The same cells with an explicit mask that knows every one (unmasked cases only).
  LabelledScores data_with_full_mask() const {
    const auto rows = static_cast<std::size_t>(scores.shape.at(0));
    const auto cols = static_cast<std::size_t>(scores.shape.at(1));
    const std::vector<float> ones(rows * cols, 1.0f);
    return LabelledScores(MatrixView(scores.data, rows, cols), MatrixView(truth.data, rows, cols),
                          MatrixView(ones, rows, cols));
  }
};

OracleCase load_case(const std::filesystem::path& dir, const nlohmann::json& description) {
  OracleCase c;
  c.name = description.at("name");
  c.scores = core::read_npy(dir / (c.name + ".scores.npy"));
  c.truth = core::read_npy(dir / (c.name + ".truth.npy"));
  if (description.at("masked").get<bool>()) c.mask = core::read_npy(dir / (c.name + ".mask.npy"));
  c.padding = description.at("padding");
  c.f1_threshold = description.at("f1_threshold");
  c.thresholds = description.at("thresholds").get<std::vector<double>>();
  c.expected = description.at("expected");
  return c;
}

class MetricsOracle : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::temp_directory_path() /
           ("chorus-metrics-oracle-" + std::to_string(::getpid()));
    const std::filesystem::path script =
        std::filesystem::path(CHORUS_SOURCE_DIR) / "tests/oracles/metrics_oracle.py";
    const std::string command = "'" CHORUS_PYTHON "' '" + script.string() + "' --seed " +
                                std::to_string(oracle_seed()) + " --out '" + dir_.string() + "'";
    const int status = std::system(command.c_str());
    if (WIFEXITED(status) && WEXITSTATUS(status) == kOracleSkipStatus) {
      skip_reason_ = "numpy or scikit-learn is not importable by " CHORUS_PYTHON;
    } else if (status != 0) {
      setup_error_ = "the oracle failed (status " + std::to_string(status) + "): " + command;
    } else {
      // An exception here would only mark the tests skipped (which ctest counts as passed):
      // keep it for SetUp to fail each test with.
      try {
        std::ifstream in(dir_ / "cases.json");
        const auto oracle = nlohmann::json::parse(in);
        for (const auto& description : oracle.at("cases"))
          cases_.push_back(load_case(dir_, description));
      } catch (const std::exception& e) {
        setup_error_ = std::string("reading the oracle's cases failed: ") + e.what();
      }
    }
  }

  static void TearDownTestSuite() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
    cases_.clear();
  }

 protected:
  void SetUp() override {
    if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
  }

  static inline std::filesystem::path dir_;
  static inline std::vector<OracleCase> cases_;
  static inline std::string skip_reason_;
  static inline std::string setup_error_;
};

// A macro metric on every case: sklearn's value, or null where chorus must refuse.
void expect_on_every_case(std::span<const OracleCase> cases, const char* key,
                          const std::function<double(const OracleCase&)>& metric) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto& expected = c.expected.at(key);
    if (expected.is_null()) {
      EXPECT_THROW(metric(c), Error);
    } else {
      EXPECT_NEAR(metric(c), expected.get<double>(), kTolerance);
    }
  }
}

// A per-class value: sklearn's value, or null where chorus reports NaN.
void expect_value_or_nan(const nlohmann::json& expected, double actual, const char* what) {
  if (expected.is_null()) {
    EXPECT_TRUE(std::isnan(actual)) << what << " = " << actual << ", expected NaN";
  } else {
    EXPECT_NEAR(actual, expected.get<double>(), kTolerance) << what;
  }
}

TEST_F(MetricsOracle, GeneratedTheCases) { EXPECT_GE(cases_.size(), 20u); }

TEST_F(MetricsOracle, MacroRocAuc) {
  expect_on_every_case(cases_, "macro_roc_auc",
                       [](const OracleCase& c) { return macro_roc_auc(c.data()); });
}

TEST_F(MetricsOracle, PaddedCmap) {
  expect_on_every_case(cases_, "padded_cmap",
                       [](const OracleCase& c) { return padded_cmap(c.data(), c.padding); });
}

TEST_F(MetricsOracle, Lwlrap) {
  expect_on_every_case(cases_, "lwlrap", [](const OracleCase& c) { return lwlrap(c.data()); });
}

TEST_F(MetricsOracle, F1AtThreshold) {
  expect_on_every_case(cases_, "micro_f1", [](const OracleCase& c) {
    return f1_score(c.data(), c.f1_threshold, F1Average::micro);
  });
  expect_on_every_case(cases_, "macro_f1", [](const OracleCase& c) {
    return f1_score(c.data(), c.f1_threshold, F1Average::macro);
  });
}

TEST_F(MetricsOracle, Top1Accuracy) {
  expect_on_every_case(cases_, "top1_accuracy",
                       [](const OracleCase& c) { return top1_accuracy(c.data()); });
}

// chorus eval always passes a mask, all ones for fully labelled truth; that must change nothing,
// to the last bit, wherever the metrics are defined.
TEST_F(MetricsOracle, FullMaskScoresAsNoMask) {
  for (const auto& c : cases_) {
    if (!c.mask.data.empty() || c.expected.at("macro_roc_auc").is_null() ||
        c.expected.at("lwlrap").is_null() || c.expected.at("top1_accuracy").is_null())
      continue;
    SCOPED_TRACE(c.name);
    const MetricSummary plain = summarize(c.data(), {.cmap_padding = c.padding});
    const MetricSummary masked = summarize(c.data_with_full_mask(), {.cmap_padding = c.padding});
    EXPECT_EQ(masked.macro_roc_auc, plain.macro_roc_auc);
    EXPECT_EQ(masked.padded_cmap, plain.padded_cmap);
    EXPECT_EQ(masked.lwlrap, plain.lwlrap);
    EXPECT_EQ(masked.micro_f1, plain.micro_f1);
    EXPECT_EQ(masked.macro_f1, plain.macro_f1);
    EXPECT_EQ(masked.top1_accuracy, plain.top1_accuracy);
    ASSERT_EQ(masked.per_class.size(), plain.per_class.size());
    for (std::size_t cls = 0; cls < plain.per_class.size(); ++cls) {
      EXPECT_EQ(masked.per_class[cls].positives, plain.per_class[cls].positives);
      EXPECT_EQ(masked.per_class[cls].negatives, plain.per_class[cls].negatives);
      // NaN == NaN is false: compare the bits' meaning, undefined or equal.
      for (const auto member : {&ClassMetrics::roc_auc, &ClassMetrics::average_precision,
                                &ClassMetrics::padded_average_precision}) {
        const double a = masked.per_class[cls].*member, b = plain.per_class[cls].*member;
        EXPECT_TRUE((std::isnan(a) && std::isnan(b)) || a == b) << a << " vs " << b;
      }
    }
  }
}

TEST_F(MetricsOracle, PerClassReport) {
  for (const auto& c : cases_) {
    SCOPED_TRACE(c.name);
    const auto report = per_class_metrics(c.data(), c.padding);
    const auto& expected = c.expected.at("per_class");
    ASSERT_EQ(report.size(), expected.size());
    for (std::size_t cls = 0; cls < report.size(); ++cls) {
      SCOPED_TRACE("class " + std::to_string(cls));
      EXPECT_EQ(report[cls].positives, expected[cls].at("positives").get<std::size_t>());
      EXPECT_EQ(report[cls].negatives, expected[cls].at("negatives").get<std::size_t>());
      expect_value_or_nan(expected[cls].at("roc_auc"), report[cls].roc_auc, "ROC-AUC");
      expect_value_or_nan(expected[cls].at("average_precision"), report[cls].average_precision,
                          "AP");
      expect_value_or_nan(expected[cls].at("padded_average_precision"),
                          report[cls].padded_average_precision, "padded AP");
    }
  }
}

void expect_sweep(const OracleCase& c, F1Average average, const char* key) {
  SCOPED_TRACE(key);
  const auto data = c.data();
  const auto expected = c.expected.at(key).get<std::vector<double>>();
  ASSERT_EQ(expected.size(), c.thresholds.size());
  for (std::size_t t = 0; t < c.thresholds.size(); ++t) {
    EXPECT_NEAR(f1_score(data, c.thresholds[t], average), expected[t], kTolerance)
        << "at threshold " << c.thresholds[t];
  }
  // Equal F1s may differ in sklearn's last bits, so the choice is checked by its value: the
  // best, and one that sklearn also scores best.
  const double best = *std::max_element(expected.begin(), expected.end());
  const ThresholdChoice choice = best_f1_threshold(data, c.thresholds, average);
  EXPECT_NEAR(choice.f1, best, kTolerance);
  const auto chosen = std::find(c.thresholds.begin(), c.thresholds.end(), choice.threshold);
  ASSERT_NE(chosen, c.thresholds.end());
  EXPECT_NEAR(expected[chosen - c.thresholds.begin()], best, kTolerance);
}

TEST_F(MetricsOracle, F1ThresholdSweep) {
  for (const auto& c : cases_) {
    SCOPED_TRACE(c.name);
    expect_sweep(c, F1Average::micro, "micro_f1_by_threshold");
    expect_sweep(c, F1Average::macro, "macro_f1_by_threshold");
  }
}

}  // namespace
}  // namespace chorus::metrics
