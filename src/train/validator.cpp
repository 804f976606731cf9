#include "train/validator.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "metrics/average_precision.hpp"
#include "metrics/lwlrap.hpp"
#include "metrics/roc_auc.hpp"
#include "metrics/top1_accuracy.hpp"

namespace chorus::train {
namespace {

constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();

// The metric, or NaN where the data does not define it.
template <typename F>
double defined_or_nan(F&& metric) {
  try {
    const double value = metric();
    return std::isfinite(value) ? value : kUndefined;
  } catch (const Error&) {
    return kUndefined;
  }
}

}  // namespace

double ValidationMetrics::get(BestMetric metric) const {
  switch (metric) {
    case BestMetric::roc_auc:
      return roc_auc;
    case BestMetric::cmap:
      return cmap;
    case BestMetric::lwlrap:
      return lwlrap;
    case BestMetric::accuracy:
      return accuracy;
    case BestMetric::loss:  // the training loss: the trainer never asks validation for it
      break;
  }
  CHORUS_UNREACHABLE("BestMetric::loss or a value outside BestMetric");
}

Validator::Validator(ValidationSet set, infer::PredictorOptions options)
    : set_(std::move(set)), options_(std::move(options)) {}

std::map<std::string, ValidationMetrics> Validator::run(
    const std::map<std::string, std::shared_ptr<infer::WindowScorer>>& scorers) const {
  const auto start = std::chrono::steady_clock::now();
  infer::PredictorOptions per_recording = options_;
  per_recording.threads = 1;  // recordings run in parallel, one per thread
  const infer::Predictor predictor(scorers, per_recording);
  const std::size_t classes = set_.classes;
  CHORUS_CHECK_AS(ModelError, predictor.classes().size() == classes,
                  "validation: the model has {} classes, the dataset {}",
                  predictor.classes().size(), classes);

  // Per scorer, each recording's row: the maximum over its chunks.
  std::map<std::string, std::vector<double>> rows;
  for (const auto& [name, scorer] : scorers)
    rows[name].assign(set_.files.size() * classes, -std::numeric_limits<double>::infinity());
  std::vector<char> scored(set_.files.size(), 0);
  const auto failures =
      core::parallel_for_each_item(set_.files.size(), options_.threads, [&](std::size_t i) {
        const auto each = predictor.predict_each(set_.files[i]);
        for (const auto& [name, r] : each) {
          CHORUS_CHECK(r.scores.rows > 0, "{}: no chunk to score", set_.files[i].string());
          double* row = rows.at(name).data() + i * classes;
          for (std::size_t chunk = 0; chunk < r.scores.rows; ++chunk)
            for (std::size_t c = 0; c < classes; ++c)
              row[c] = std::max(row[c], double(r.scores.at(chunk, c)));
        }
        scored[i] = 1;
      });
  std::vector<std::string> failure_messages;
  for (const auto& f : failures) failure_messages.push_back(f.message);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::map<std::string, ValidationMetrics> result;
  for (const auto& [name, scorer_rows] : rows) {
    ValidationMetrics& m = result[name];
    m.failures = failure_messages;
    // The metrics over the recordings that were scored.
    std::vector<double> scores, truth, mask;
    for (std::size_t i = 0; i < set_.files.size(); ++i) {
      if (!scored[i]) continue;
      const auto from = [&](const std::vector<double>& v) { return v.begin() + i * classes; };
      scores.insert(scores.end(), from(scorer_rows), from(scorer_rows) + classes);
      truth.insert(truth.end(), from(set_.truth), from(set_.truth) + classes);
      mask.insert(mask.end(), from(set_.mask), from(set_.mask) + classes);
    }
    m.recordings = scores.size() / classes;
    CHORUS_CHECK(m.recordings > 0,
                 "validation: none of the {} recordings could be scored (first: {})",
                 set_.files.size(), m.failures.empty() ? "" : m.failures.front());
    const metrics::MatrixView s(std::span<const double>(scores), m.recordings, classes);
    const metrics::MatrixView t(std::span<const double>(truth), m.recordings, classes);
    const metrics::MatrixView k(std::span<const double>(mask), m.recordings, classes);
    const metrics::LabelledScores data(s, t, k);
    m.roc_auc = defined_or_nan([&] { return metrics::macro_roc_auc(data); });
    m.cmap = defined_or_nan([&] { return metrics::padded_cmap(data); });
    m.lwlrap = defined_or_nan([&] { return metrics::lwlrap(data); });
    m.accuracy = defined_or_nan([&] { return metrics::top1_accuracy(data); });
    m.seconds = seconds;
  }
  return result;
}

}  // namespace chorus::train
