// chorus eval --truth TRUTH.csv --predictions SUB.csv: every competition metric of a submission
// against soundscape labels, BirdCLEF clip metadata or RFCX true/false positives, as a table
// (or JSON), with optional per-class CSV and chart.
//
// Policies (docs/eval.md):
// - The truth format is found from the truth file's columns unless --truth-format names it.
//   Every format becomes one TruthLabels and then one EvaluationSet with a mask, so the metrics
//   run on one code path; only RFCX leaves cells unknown (masked out of every metric).
// - The class set is the prediction's columns; rows are matched by row id, columns by name,
//   whatever their order. A prediction row missing from the truth, or a truth row without a
//   prediction, is an error.
// - A truth label that is not a prediction column is an error, unless --ignore-unknown-labels,
//   which drops it with a warning (its rows then count as negatives of every scored class).
// - Any finite score is accepted: the ranking metrics (ROC-AUC, cmAP, LWLRAP, top-1) do not
//   depend on the scale, so logits are fine; F1 at --threshold warns when scores leave [0, 1].

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "data/evaluation_set.hpp"
#include "formats/csv_table.hpp"
#include "formats/truth_format.hpp"
#include "metrics/f1_score.hpp"
#include "metrics/labelled_scores.hpp"
#include "metrics/metric_summary.hpp"
#include "plot/bar_chart_image.hpp"

namespace chorus::cli {
namespace {

struct EvalOptions {
  std::string truth;
  std::string truth_format = "auto";
  std::string truth_fp;
  std::string predictions;
  bool json = false;
  std::string per_class;
  std::string plot;
  double threshold = 0.5;
  std::size_t padding = metrics::kDefaultCmapPadding;
  bool ignore_unknown_labels = false;
};

// What is reported, computed once for the table, the JSON and the files.
struct EvalReport {
  std::vector<std::string> classes;
  std::string truth_format;
  std::size_t rows = 0;
  std::size_t cells = 0;             // rows × classes
  std::size_t known_cells = 0;       // cells whose truth is known: all, unless RFCX
  std::size_t rows_with_labels = 0;  // the rows top-1 accuracy is measured on
  std::size_t classes_scored = 0;    // with positives and negatives: macro ROC-AUC's classes
  metrics::MetricSummary summary;
  metrics::ThresholdChoice best_macro_f1;
};

// The truth files with their format settled (detected from the columns under "auto"), so the
// report can say how the truth was read.
formats::TruthFiles truth_files(const EvalOptions& o) {
  formats::TruthFiles files;
  files.labels = o.truth;
  files.rfcx_false_positives = o.truth_fp;
  files.format = o.truth_format == "auto" ? formats::detect_truth_format(o.truth)
                                          : formats::truth_format_from_name(o.truth_format);
  CHORUS_DCHECK(files.format.has_value());  // CLI11 accepted only the names above
  return files;
}

// RFCX's train_tp.csv alone knows only presences: LWLRAP would be 1 whatever the scores and
// no class would have a ROC curve, so say what is missing rather than report either.
void check_some_absence_known(const data::EvaluationSet& set, const formats::TruthFiles& files) {
  for (std::size_t i = 0; i < set.truth.size(); ++i)
    if (set.mask[i] == 1.0 && set.truth[i] == 0.0) return;
  const bool rfcx_without_fp =
      files.format == formats::TruthFormat::rfcx && files.rfcx_false_positives.empty();
  throw FormatError(fmt::format(
      "{}: every known cell is a presence, so no metric can rank presences above absences{}",
      files.labels.string(),
      rfcx_without_fp ? " (--truth-fp train_fp.csv gives the absences)" : ""));
}

data::EvaluationSet load(formats::TruthFiles files, const EvalOptions& o) {
  const formats::ScoreTable predictions = formats::read_score_table(o.predictions);
  // Raven boxes label the predictions' own chunks.
  if (files.format == formats::TruthFormat::raven) files.chunk_rows = predictions.row_ids;
  const formats::TruthLabels truth = formats::read_truth(files);
  data::EvaluationSet set = data::align_predictions(truth, predictions);
  check_some_absence_known(set, files);
  if (set.unknown_labels.empty()) return set;
  const std::string unknown = data::describe_unknown_labels(set.unknown_labels, truth.path);
  CHORUS_CHECK_AS(FormatError, o.ignore_unknown_labels,
                  "truth labels that are not columns of {}: {}; --ignore-unknown-labels drops "
                  "them",
                  predictions.path, unknown);
  fmt::print(stderr,
             "warning: dropped truth labels that are not columns of {}: {}; their rows are "
             "scored as if they were absent\n",
             predictions.path, unknown);
  return set;
}

// F1 turns scores into decisions at a threshold meant for probabilities; on logits 0.5 means
// something else entirely, and the user should know the F1 numbers mean little.
void warn_if_not_probabilities(const data::EvaluationSet& set, double threshold) {
  const auto [low, high] = std::minmax_element(set.scores.begin(), set.scores.end());
  if (*low >= 0.0 && *high <= 1.0) return;
  fmt::print(stderr,
             "warning: scores range over [{:g}, {:g}], outside [0, 1]: F1 at threshold {:g} "
             "treats them as probabilities (the ranking metrics do not depend on the scale)\n",
             *low, *high, threshold);
}

EvalReport evaluate(const data::EvaluationSet& set, const formats::TruthFiles& files,
                    const EvalOptions& o) {
  const std::size_t cols = set.classes.size();
  // Always masked: the mask is all ones for fully labelled truth, which scores exactly as the
  // unmasked matrix (the metrics' tests check it), so every format takes this one path.
  const metrics::LabelledScores data(metrics::MatrixView(set.scores, set.rows(), cols),
                                     metrics::MatrixView(set.truth, set.rows(), cols),
                                     metrics::MatrixView(set.mask, set.rows(), cols));
  EvalReport report;
  report.classes = set.classes;
  report.truth_format = formats::truth_format_name(*files.format);
  report.rows = set.rows();
  report.cells = set.truth.size();
  report.known_cells = set.known_cells();
  for (std::size_t row = 0; row < set.rows(); ++row)
    if (std::any_of(set.truth.begin() + row * cols, set.truth.begin() + (row + 1) * cols,
                    [](double t) { return t == 1.0; }))
      ++report.rows_with_labels;
  report.summary =
      metrics::summarize(data, {.cmap_padding = o.padding, .f1_threshold = o.threshold});
  report.classes_scored = static_cast<std::size_t>(
      std::count_if(report.summary.per_class.begin(), report.summary.per_class.end(),
                    [](const metrics::ClassMetrics& c) { return !std::isnan(c.roc_auc); }));
  report.best_macro_f1 = metrics::best_f1_threshold(data, metrics::f1_threshold_candidates(data),
                                                    metrics::F1Average::macro);
  return report;
}

// --- Outputs ---------------------------------------------------------------------------------

std::string table(const EvalReport& r, const EvalOptions& o) {
  const metrics::MetricSummary& s = r.summary;
  std::string out = fmt::format("truth        {} ({})\n", o.truth, r.truth_format);
  if (!o.truth_fp.empty()) out += fmt::format("truth fp     {}\n", o.truth_fp);
  out += fmt::format("predictions  {}\n\n", o.predictions);
  const auto line = [&out](std::string_view name, const std::string& value, std::string_view note) {
    const std::string text = fmt::format("{:<16} {:<8}  {}", name, value, note);
    out += text.substr(0, text.find_last_not_of(' ') + 1) + '\n';
  };
  const auto metric = [](double value) { return fmt::format("{:.4f}", value); };
  line("rows", std::to_string(r.rows), "");
  line("classes", std::to_string(r.classes.size()), "the prediction's columns");
  // Only partial truth (RFCX) has cells to leave out; a line of "all known" would be noise.
  if (r.known_cells < r.cells)
    line("known cells", std::to_string(r.known_cells),
         fmt::format("of {}: the rest are unknown and scored by no metric", r.cells));
  line("classes scored", std::to_string(r.classes_scored),
       "with positive and negative rows (macro ROC-AUC averages these)");
  line("macro ROC-AUC", metric(s.macro_roc_auc), "BirdCLEF 2024");
  line("padded cmAP", metric(s.padded_cmap),
       fmt::format("BirdCLEF 2022/2023, padding {}", o.padding));
  line("LWLRAP", metric(s.lwlrap), "RFCX 2021, Freesound 2019");
  line("micro F1", metric(s.micro_f1), fmt::format("score >= {:g}", o.threshold));
  line("macro F1", metric(s.macro_f1), fmt::format("score >= {:g}", o.threshold));
  line("best macro F1", metric(r.best_macro_f1.f1),
       fmt::format("score >= {:.6g}", r.best_macro_f1.threshold));
  line("top-1 accuracy", metric(s.top1_accuracy),
       fmt::format("over the {} rows with a label", r.rows_with_labels));
  return out;
}

// JSON has no NaN: an undefined per-class value is null. Keys keep the order of the table.
nlohmann::ordered_json number_or_null(double value) {
  return std::isnan(value) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(value);
}

nlohmann::ordered_json json_report(const EvalReport& r, const data::EvaluationSet& set,
                                   const EvalOptions& o) {
  const metrics::MetricSummary& s = r.summary;
  nlohmann::ordered_json per_class = nlohmann::ordered_json::array();
  for (std::size_t c = 0; c < r.classes.size(); ++c) {
    const metrics::ClassMetrics& m = s.per_class[c];
    per_class.push_back({{"class", r.classes[c]},
                         {"positives", m.positives},
                         {"negatives", m.negatives},
                         {"average_precision", number_or_null(m.average_precision)},
                         {"roc_auc", number_or_null(m.roc_auc)},
                         {"padded_average_precision", number_or_null(m.padded_average_precision)}});
  }
  nlohmann::ordered_json dropped = nlohmann::ordered_json::array();
  for (const data::UnknownLabel& u : set.unknown_labels)
    dropped.push_back({{"label", u.name}, {"rows", u.rows}});
  return {{"truth", o.truth},
          {"truth_fp", o.truth_fp.empty() ? nlohmann::ordered_json(nullptr)
                                          : nlohmann::ordered_json(o.truth_fp)},
          {"truth_format", r.truth_format},
          {"predictions", o.predictions},
          {"rows", r.rows},
          {"cells", r.cells},
          {"known_cells", r.known_cells},
          {"rows_with_labels", r.rows_with_labels},
          {"classes", r.classes.size()},
          {"classes_scored", r.classes_scored},
          {"padding", o.padding},
          {"threshold", o.threshold},
          {"macro_roc_auc", s.macro_roc_auc},
          {"padded_cmap", s.padded_cmap},
          {"lwlrap", s.lwlrap},
          {"micro_f1", s.micro_f1},
          {"macro_f1", s.macro_f1},
          {"best_macro_f1", {{"f1", r.best_macro_f1.f1}, {"threshold", r.best_macro_f1.threshold}}},
          {"top1_accuracy", s.top1_accuracy},
          {"dropped_labels", dropped},
          {"per_class", per_class}};
}

// Shortest text that reads back as the same double; empty for an undefined value.
std::string csv_number(double value) { return std::isnan(value) ? "" : fmt::format("{}", value); }

void write_per_class_csv(const std::string& path, const EvalReport& r) {
  std::vector<std::vector<std::string>> rows;
  for (std::size_t c = 0; c < r.classes.size(); ++c) {
    const metrics::ClassMetrics& m = r.summary.per_class[c];
    rows.push_back({r.classes[c], std::to_string(m.positives), std::to_string(m.negatives),
                    csv_number(m.average_precision), csv_number(m.roc_auc),
                    csv_number(m.padded_average_precision)});
  }
  formats::write_csv(path,
                     {"class", "positives", "negatives", "average_precision", "roc_auc",
                      "padded_average_precision"},
                     rows);
}

// Per-class average precision, best first; classes without positives (no AP) at the bottom.
void write_plot(const std::string& path, const EvalReport& r, const EvalOptions& o) {
  std::vector<plot::ChartBar> bars;
  double sum = 0;
  std::size_t defined = 0;
  for (std::size_t c = 0; c < r.classes.size(); ++c) {
    const metrics::ClassMetrics& m = r.summary.per_class[c];
    const double ap = m.average_precision;
    bars.push_back({r.classes[c], ap,
                    std::isnan(ap) ? "no positives"
                                   : fmt::format("{:.3f}  ({} positive{})", ap, m.positives,
                                                 m.positives == 1 ? "" : "s")});
    if (!std::isnan(ap)) sum += ap, ++defined;
  }
  std::stable_sort(bars.begin(), bars.end(), [](const plot::ChartBar& a, const plot::ChartBar& b) {
    return !std::isnan(a.value) && (std::isnan(b.value) || a.value > b.value);
  });
  plot::BarChartOptions chart;
  chart.title = fmt::format("Average precision per class: {} vs {}",
                            std::filesystem::path(o.predictions).filename().string(),
                            std::filesystem::path(o.truth).filename().string());
  chart.subtitle = fmt::format(
      "{} rows, {} classes: macro ROC-AUC {:.3f}, padded cmAP {:.3f}, LWLRAP {:.3f}", r.rows,
      r.classes.size(), r.summary.macro_roc_auc, r.summary.padded_cmap, r.summary.lwlrap);
  chart.value_label = "average precision (sklearn, unpadded)";
  if (defined > 0) {
    chart.reference_value = sum / static_cast<double>(defined);
    chart.reference_label = fmt::format("mean AP {:.3f}", chart.reference_value);
  }
  plot::write_bar_chart_png(path, bars, chart);
}

void run_eval(const EvalOptions& o) {
  CHORUS_CHECK(std::isfinite(o.threshold), "--threshold {} must be a finite number", o.threshold);
  const formats::TruthFiles files = truth_files(o);
  const data::EvaluationSet set = load(files, o);
  warn_if_not_probabilities(set, o.threshold);
  const EvalReport report = evaluate(set, files, o);
  // Files first: a table on the screen should mean every requested file is in place.
  if (!o.per_class.empty()) write_per_class_csv(o.per_class, report);
  if (!o.plot.empty()) write_plot(o.plot, report, o);
  if (o.json)
    fmt::print("{}\n", json_report(report, set, o).dump(2));
  else
    fmt::print("{}", table(report, o));
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto options = std::make_shared<EvalOptions>();
  auto* command = app.add_subcommand(
      "eval",
      "Score predictions against soundscape labels, BirdCLEF train_metadata or RFCX train_tp: "
      "ROC-AUC, padded cmAP, LWLRAP, F1, top-1");
  command
      ->add_option("--truth", options->truth,
                   "Truth: soundscape labels (row_id, labels), BirdCLEF train_metadata "
                   "(primary_label, filename), RFCX train_tp (recording_id, species_id), or "
                   "Raven selection tables (a file or a folder: boxes over the chunks)")
      ->required();
  command
      ->add_option("--truth-format", options->truth_format,
                   "How to read --truth; auto tells the formats apart by their columns")
      ->check(CLI::IsMember({"auto", "soundscape", "metadata", "rfcx", "raven"}))
      ->capture_default_str();
  command->add_option("--truth-fp", options->truth_fp,
                      "RFCX train_fp.csv: species confirmed absent (else unknown) per recording");
  command
      ->add_option("--predictions", options->predictions,
                   "Predictions CSV (Kaggle submission): row_id or recording_id, and one score "
                   "column per class (RFCX: s0 ... s23)")
      ->required();
  command->add_flag("--json", options->json, "Print the metrics as JSON instead of a table");
  command->add_option("--per-class", options->per_class,
                      "Write per-class positives, AP, ROC-AUC and padded AP as CSV");
  command->add_option("--plot", options->plot, "Write a per-class average precision chart (PNG)");
  command
      ->add_option("--threshold", options->threshold,
                   "Decision threshold for F1: score >= threshold is a positive")
      ->capture_default_str();
  command->add_option("--padding", options->padding, "All-ones rows appended for padded cmAP")
      ->capture_default_str();
  command->add_flag("--ignore-unknown-labels", options->ignore_unknown_labels,
                    "Drop truth labels that are not prediction columns (warns) instead of failing");
  command->callback([options] { run_eval(*options); });
}

}  // namespace chorus::cli
