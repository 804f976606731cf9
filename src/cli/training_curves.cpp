#include "cli/training_curves.hpp"

#include <optional>
#include <string>

#include "plot/line_chart_image.hpp"

namespace chorus::cli {

void write_training_curves(const std::filesystem::path& path,
                           const std::vector<train::EpochRecord>& records) {
  using plot::ChartPoint;
  plot::LineChart loss{.title = "training loss", .y_label = "loss", .series = {{"train", {}}}};
  plot::LineChart scores{
      .title = "validation", .y_label = "score", .series = {}, .y_min = 0.0, .y_max = 1.0};
  const auto metric_series = [&](const std::string& name, auto value) {
    plot::LineSeries series{name, {}};
    for (const train::EpochRecord& r : records)
      if (const auto m = value(r)) series.points.push_back({double(r.epoch), *m});
    if (!series.points.empty()) scores.series.push_back(std::move(series));
  };
  for (const train::EpochRecord& r : records)
    loss.series[0].points.push_back({double(r.epoch), r.train_loss});
  using Metric = std::optional<double>;
  metric_series("ROC-AUC", [](const train::EpochRecord& r) {
    return r.validation ? Metric(r.validation->roc_auc) : Metric();
  });
  metric_series("cmAP", [](const train::EpochRecord& r) {
    return r.validation ? Metric(r.validation->cmap) : Metric();
  });
  metric_series("top-1", [](const train::EpochRecord& r) {
    return r.validation ? Metric(r.validation->accuracy) : Metric();
  });
  metric_series("EMA ROC-AUC", [](const train::EpochRecord& r) {
    return r.validation_ema ? Metric(r.validation_ema->roc_auc) : Metric();
  });
  std::vector<plot::LineChart> panels{loss};
  if (!scores.series.empty()) panels.push_back(std::move(scores));
  plot::write_line_charts_png(path, panels, {.title = "chorus train", .x_label = "epoch"});
}

}  // namespace chorus::cli
