// summarize() shares one sort per class between the metrics; it must report what each metric
// reports on its own, and accept float32 scores as models produce them.

#include "metrics/metric_summary.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "metrics/average_precision.hpp"
#include "metrics/f1_score.hpp"
#include "metrics/lwlrap.hpp"
#include "metrics/roc_auc.hpp"
#include "metrics/top1_accuracy.hpp"

namespace chorus::metrics {
namespace {

TEST(MetricSummary, AgreesWithEachMetricOnFloat32Scores) {
  constexpr std::size_t rows = 500;
  constexpr std::size_t cols = 12;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  std::vector<float> scores(rows * cols);
  std::vector<float> truth(rows * cols);
  for (std::size_t i = 0; i < scores.size(); ++i) {
    truth[i] = uniform(rng) < 0.2f ? 1.0f : 0.0f;
    scores[i] = 0.6f * uniform(rng) + 0.4f * truth[i];
  }
  const LabelledScores data(MatrixView(scores, rows, cols), MatrixView(truth, rows, cols));
  const SummaryOptions options{.cmap_padding = 3, .f1_threshold = 0.45};
  const MetricSummary summary = summarize(data, options);

  EXPECT_EQ(summary.macro_roc_auc, macro_roc_auc(data));
  EXPECT_EQ(summary.padded_cmap, padded_cmap(data, 3));
  EXPECT_EQ(summary.lwlrap, lwlrap(data));
  EXPECT_EQ(summary.micro_f1, f1_score(data, 0.45, F1Average::micro));
  EXPECT_EQ(summary.macro_f1, f1_score(data, 0.45, F1Average::macro));
  EXPECT_EQ(summary.top1_accuracy, top1_accuracy(data));
  ASSERT_EQ(summary.per_class.size(), cols);
  // An informative model: well above chance on every metric.
  EXPECT_GT(summary.macro_roc_auc, 0.8);
  EXPECT_GT(summary.padded_cmap, 0.5);
}

}  // namespace
}  // namespace chorus::metrics
