// Times every competition metric on a validation-sized score matrix: 50 000 chunks × 182
// classes (BirdCLEF 2024's class count), a few percent positives, on one core.
//   chorus_bench_metrics [rows] [cols]
// Prints, per metric, the best of a few runs in milliseconds and the cells scored per second.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "metrics/average_precision.hpp"
#include "metrics/class_metrics.hpp"
#include "metrics/f1_score.hpp"
#include "metrics/labelled_scores.hpp"
#include "metrics/lwlrap.hpp"
#include "metrics/metric_summary.hpp"
#include "metrics/roc_auc.hpp"
#include "metrics/top1_accuracy.hpp"

namespace {

using chorus::metrics::F1Average;
using chorus::metrics::LabelledScores;
using chorus::metrics::MatrixView;

struct Matrices {
  std::vector<float> scores, truth, mask;
};

// Positives at 3 %, scored higher on average than negatives (a model that has learnt
// something), float32 like a model's output; a mask that knows 70 % of the cells.
Matrices random_matrices(std::size_t rows, std::size_t cols) {
  std::mt19937_64 rng(20240601);
  std::bernoulli_distribution is_positive(0.03);
  std::bernoulli_distribution is_known(0.7);
  std::normal_distribution<float> logit(0.0f, 1.5f);
  Matrices m;
  m.scores.resize(rows * cols);
  m.truth.resize(rows * cols);
  m.mask.resize(rows * cols);
  for (std::size_t i = 0; i < rows * cols; ++i) {
    m.truth[i] = is_positive(rng) ? 1.0f : 0.0f;
    m.mask[i] = is_known(rng) ? 1.0f : 0.0f;
    m.scores[i] = 1.0f / (1.0f + std::exp(-(logit(rng) + 2.0f * m.truth[i] - 2.0f)));
  }
  return m;
}

// Best of `repeats` runs: the least disturbed by the machine's other work.
double best_seconds(const std::function<void()>& work, int repeats = 3) {
  double best = 1e300;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    work();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    best = std::min(best, elapsed.count());
  }
  return best;
}

void report(const std::string& name, double cells, const std::function<double()>& metric) {
  double value = 0.0;
  const double seconds = best_seconds([&] { value = metric(); });
  std::printf("%-28s %9.2f ms %10.1f Mcells/s   value %.6f\n", name.c_str(), seconds * 1e3,
              cells / seconds / 1e6, value);
}

void bench_all(const std::string& label, const LabelledScores& data,
               const std::vector<double>& thresholds) {
  const double cells = static_cast<double>(data.rows() * data.cols());
  std::printf("-- %s\n", label.c_str());
  report("macro ROC-AUC", cells, [&] { return chorus::metrics::macro_roc_auc(data); });
  report("padded cmAP (5)", cells, [&] { return chorus::metrics::padded_cmap(data); });
  report("per-class AUC/AP", cells,
         [&] { return chorus::metrics::per_class_metrics(data).front().roc_auc; });
  report("LWLRAP", cells, [&] { return chorus::metrics::lwlrap(data); });
  report("micro F1 @0.5", cells,
         [&] { return chorus::metrics::f1_score(data, 0.5, F1Average::micro); });
  report("macro F1 @0.5", cells,
         [&] { return chorus::metrics::f1_score(data, 0.5, F1Average::macro); });
  report("best macro F1 (99 thr.)", cells,
         [&] { return chorus::metrics::best_f1_threshold(data, thresholds, F1Average::macro).f1; });
  report("top-1 accuracy", cells, [&] { return chorus::metrics::top1_accuracy(data); });
  report("summarize (all of them)", cells,
         [&] { return chorus::metrics::summarize(data).padded_cmap; });
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t rows = argc > 1 ? std::stoul(argv[1]) : 50'000;
  const std::size_t cols = argc > 2 ? std::stoul(argv[2]) : 182;
  const Matrices m = random_matrices(rows, cols);
  const MatrixView scores(m.scores, rows, cols);
  const MatrixView truth(m.truth, rows, cols);
  const MatrixView mask(m.mask, rows, cols);
  std::vector<double> thresholds;
  for (int t = 1; t <= 99; ++t) thresholds.push_back(t / 100.0);

  std::printf("%zu rows × %zu classes = %zu cells, one thread\n", rows, cols, rows * cols);
  const double cells = static_cast<double>(rows * cols);
  report("check + copy to double", cells,
         [&] { return static_cast<double>(LabelledScores(scores, truth).rows()); });
  bench_all("fully known truth", LabelledScores(scores, truth), thresholds);
  bench_all("masked truth (70 % known)", LabelledScores(scores, truth, mask), thresholds);
  return 0;
}
