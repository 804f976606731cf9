// chorus selftrain DATASET --unlabeled DIR… --rounds N --out OUT [--fold K | --all-folds]
//   [--metadata FOLDS.csv] [--config recipe.toml] [--set …] [--student-set …]
//   [--student-init fresh|teacher] [--cache DIR] [--patience P] [--resume] [--threads N]
// Noisy-student rounds (docs/selftraining.md). Round 0 trains on the labelled clips; after each
// round its models' ensemble labels the unlabelled recordings (round_<r>/pseudo.csv) and, with
// --all-folds, each training clip with the models that held it out (round_<r>/teacher.csv);
// round r + 1's students train on the clips with those as data.pseudo_labels and data.teacher,
// with everything else from the recipe (and --student-set), starting fresh or from their
// teacher's weights (--student-init). OUT/rounds.csv and OUT/rounds.png hold the validation
// metric (train.best_metric at each model's best epoch, the mean over folds) per round. It stops
// after N rounds past round 0, or when the metric has not improved for --patience rounds.
//
// Resumable: a training resumes from its state, a table that exists is a finished step (tables
// are written atomically), so --resume after a kill anywhere continues the same run to the same
// result.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <filesystem>
#include <memory>

#include "cli/commands.hpp"
#include "cli/config_options.hpp"
#include "cli/network_commands.hpp"
#include "cli/pseudo_run.hpp"
#include "cli/threads_option.hpp"
#include "cli/train_run.hpp"
#include "core/enum_names.hpp"
#include "core/error.hpp"
#include "formats/csv_table.hpp"
#include "formats/pseudo_table.hpp"
#include "graph/precision.hpp"
#include "plot/line_chart_image.hpp"
#include "train/train_log.hpp"

namespace chorus {
namespace cli {

// Where a student's weights start: freshly initialised as the recipe says (noisy student, the
// winners' choice), or from its teacher's (fine-tuning: fewer student epochs suffice).
enum class StudentInit { fresh, teacher };

}  // namespace cli

template <>
struct core::EnumNames<cli::StudentInit> {
  static constexpr std::array<std::string_view, 2> names{"fresh", "teacher"};
};

namespace cli {
namespace {

namespace fs = std::filesystem;

struct SelftrainOptions {
  std::string dataset;
  std::string metadata;
  std::vector<std::string> unlabeled;
  std::string out;
  core::ConfigSource config;
  std::vector<std::string> student_overrides;  // --student-set: rounds ≥ 1 only
  std::string student_init = "fresh";          // a StudentInit name
  int rounds = 1;
  int fold = -1;
  bool all_folds = false;
  int patience = 1;
  std::string cache;
  bool resume = false;
  int threads = 1;
};

struct RoundRecord {
  int round = 0;
  std::vector<TrainedModel> models;
  double score = NAN;           // mean of the models' best scores (NaN: not validated)
  std::size_t pseudo_rows = 0;  // chunks of the unlabelled recordings labelled after the round
  std::size_t teacher_rows = 0;
  double train_seconds = 0;  // the models' epochs, from their logs
};

fs::path round_dir(const SelftrainOptions& o, int round) {
  return fs::path(o.out) / fmt::format("round_{}", round);
}

// The round's students: the recipe, plus the previous round's tables.
std::vector<TrainedModel> train_round(const SelftrainOptions& o, int round) {
  TrainOptions t;
  t.dataset = o.dataset;
  t.metadata = o.metadata;
  t.out = round_dir(o, round).string();
  t.config = o.config;
  t.fold = o.fold;
  t.all_folds = o.all_folds;
  t.cache = o.cache;
  t.threads = o.threads;
  // A fold that already has a state resumes; one that has none (killed before its first epoch
  // ended, or not reached) starts.
  t.resume = o.all_folds || fs::exists(fs::path(t.out) / "train_state.safetensors");
  if (round > 0) {
    const fs::path previous = round_dir(o, round - 1);
    std::vector<std::string>& overrides = t.config.overrides;
    overrides.insert(overrides.end(), o.student_overrides.begin(), o.student_overrides.end());
    overrides.push_back("data.pseudo_labels=" + (previous / "pseudo.csv").string());
    if (fs::exists(previous / "teacher.csv"))
      overrides.push_back("data.teacher=" + (previous / "teacher.csv").string());
    // The teacher's folder: each fold's student starts from the teacher that held out its fold.
    if (core::enum_from_name<StudentInit>(o.student_init) == StudentInit::teacher)
      overrides.push_back("train.init_from=" + previous.string());
  }
  fmt::print("── round {}: training{} ──\n", round,
             round > 0 ? fmt::format(" on the labels of round {}", round - 1) : std::string());
  return run_train(t);
}

// Labels `inputs` with the round's models into `table` unless it exists (a finished step); its
// row count.
std::size_t label(const SelftrainOptions& o, const std::vector<TrainedModel>& models,
                  std::vector<std::string> inputs, const fs::path& table, bool out_of_fold) {
  if (fs::exists(table)) return formats::read_pseudo_table(table).rows.size();
  PseudoOptions p;
  p.scoring.inputs = std::move(inputs);
  for (const TrainedModel& m : models) p.scoring.models.push_back(m.result.best_checkpoint);
  p.scoring.config = o.config.restricted_to(kPseudoSections);
  p.scoring.threads = o.threads;
  p.out = table.string();
  p.out_of_fold = out_of_fold;
  p.metadata = out_of_fold ? o.metadata : std::string();
  return run_pseudo(p);
}

double mean_score(const std::vector<TrainedModel>& models) {
  double sum = 0;
  for (const TrainedModel& m : models) sum += m.result.best_score;
  return sum / static_cast<double>(models.size());
}

double training_seconds(const std::vector<TrainedModel>& models) {
  double seconds = 0;
  for (const TrainedModel& m : models) {
    // Named: a range-for over records() of a temporary log would read a destroyed vector.
    const train::TrainLog log(m.dir / "train_log.jsonl", true, m.result.epochs_done);
    for (const train::EpochRecord& r : log.records()) seconds += r.seconds;
  }
  return seconds;
}

void write_summary(const SelftrainOptions& o, const std::vector<RoundRecord>& rounds,
                   train::BestMetric metric) {
  const std::string name(core::enum_name(metric));
  std::vector<std::vector<std::string>> rows;
  plot::LineChart chart{.title = "validation per round", .y_label = name, .series = {}};
  plot::LineSeries mean{"mean " + name, {}};
  std::vector<plot::LineSeries> per_model;
  for (const RoundRecord& r : rounds) {
    std::vector<std::string> scores;
    for (std::size_t k = 0; k < r.models.size(); ++k) {
      scores.push_back(fmt::format("{:.6f}", r.models[k].result.best_score));
      if (per_model.size() <= k)
        per_model.push_back({r.models[k].fold >= 0 ? fmt::format("fold {}", r.models[k].fold)
                                                   : std::string("model"),
                             {}});
      per_model[k].points.push_back({double(r.round), r.models[k].result.best_score});
    }
    mean.points.push_back({double(r.round), r.score});
    rows.push_back({std::to_string(r.round), std::to_string(r.models.size()), name,
                    fmt::format("{:.6f}", r.score), fmt::format("{}", fmt::join(scores, " ")),
                    std::to_string(r.pseudo_rows), std::to_string(r.teacher_rows),
                    fmt::format("{:.0f}", r.train_seconds)});
  }
  formats::write_csv(fs::path(o.out) / "rounds.csv",
                     {"round", "models", "metric", "score", "model_scores", "pseudo_chunks",
                      "teacher_chunks", "train_seconds"},
                     rows);
  if (std::isnan(rounds.front().score)) return;  // not validated: nothing to draw
  chart.series.push_back(std::move(mean));
  if (per_model.size() > 1)
    for (plot::LineSeries& s : per_model) chart.series.push_back(std::move(s));
  plot::write_line_charts_png(fs::path(o.out) / "rounds.png", std::span(&chart, 1),
                              {.title = "chorus selftrain", .x_label = "round"});
}

void run_selftrain(SelftrainOptions& o) {
  CHORUS_CHECK_AS(ConfigError, o.rounds >= 0, "--rounds {}: expected ≥ 0", o.rounds);
  CHORUS_CHECK_AS(ConfigError, o.patience >= 1, "--patience {}: expected ≥ 1", o.patience);
  CHORUS_CHECK_AS(ConfigError, !(o.all_folds && o.fold >= 0),
                  "--fold and --all-folds exclude each other");
  CHORUS_CHECK_AS(IoError, o.resume || !fs::exists(round_dir(o, 0)),
                  "{} already holds self-training rounds: --resume to continue them, or choose "
                  "another --out",
                  o.out);
  train::ExperimentConfig recipe;
  recipe.load(o.config);
  {  // a student's bad --student-set fails now, not after round 0's training
    core::ConfigSource student = o.config;
    student.overrides.insert(student.overrides.end(), o.student_overrides.begin(),
                             o.student_overrides.end());
    train::ExperimentConfig checked;
    checked.load(student);
  }
  // Each round labels with the models it has just trained, which nobody has calibrated.
  CHORUS_CHECK_AS(ConfigError, recipe.infer.precision != graph::Precision::int8,
                  "infer.precision = int8: self-training labels with the models each round has "
                  "just trained, which are not calibrated for int8; use fp32, bf16 or auto");
  const train::BestMetric metric = recipe.train.best_metric;
  const bool validated = o.fold >= 0 || o.all_folds;
  fs::create_directories(o.out);

  std::vector<RoundRecord> rounds;
  int best = -1, stale = 0;
  for (int r = 0; r <= o.rounds; ++r) {
    RoundRecord record;
    record.round = r;
    record.models = train_round(o, r);
    record.score = mean_score(record.models);
    record.train_seconds = training_seconds(record.models);
    const bool improved = best < 0 || train::is_better(record.score, rounds[best].score, metric);
    if (improved) {
      best = r;
      stale = 0;
    } else {
      ++stale;
    }
    const bool last = r == o.rounds || (validated && stale >= o.patience);
    if (!last) {
      fmt::print("── round {}: labelling ──\n", r);
      record.pseudo_rows =
          label(o, record.models, o.unlabeled, round_dir(o, r) / "pseudo.csv", false);
      if (o.all_folds)
        record.teacher_rows =
            label(o, record.models, {o.dataset}, round_dir(o, r) / "teacher.csv", true);
    }
    rounds.push_back(std::move(record));
    write_summary(o, rounds, metric);
    fmt::print("round {}: {} {:.4f}{}\n", r, core::enum_name(metric), rounds.back().score,
               improved ? "" : fmt::format(" (best: round {})", best));
    if (validated && stale >= o.patience && r < o.rounds) {
      fmt::print("stopped: no improvement for {} round{}\n", stale, stale == 1 ? "" : "s");
      break;
    }
  }
  if (validated)
    fmt::print("best: round {} ({} {:.4f}) → {}\n", best, core::enum_name(metric),
               rounds[best].score, round_dir(o, best).string());
  else  // nothing to judge the rounds by
    fmt::print("last: round {} → {}\n", rounds.back().round,
               round_dir(o, rounds.back().round).string());
}

}  // namespace

void add_selftrain_command(CLI::App& app) {
  auto o = std::make_shared<SelftrainOptions>();
  auto* command = add_subcommand(app, NetworkCommand::selftrain);
  command
      ->add_option("dataset", o->dataset, "Labelled dataset folder (any layout chorus train reads)")
      ->required()
      ->check(CLI::ExistingDirectory);
  command
      ->add_option("--unlabeled", o->unlabeled,
                   "Unlabelled recordings (files or folders) each round labels for the next")
      ->required()
      ->check(CLI::ExistingPath);
  command->add_option("--rounds", o->rounds, "Rounds after round 0 (the clips alone)")
      ->capture_default_str();
  command->add_option("--out", o->out, "Output folder: round_<r>/, rounds.csv, rounds.png")
      ->required();
  command
      ->add_option("--metadata", o->metadata,
                   "Clip table to use instead of DATASET/train_metadata.csv (the folds)")
      ->check(CLI::ExistingFile);
  add_config_options(*command, o->config, "every section of a training recipe", "train.epochs=12");
  command->add_option("--student-set", o->student_overrides,
                      "Override a recipe key for the students of rounds 1 and later only: "
                      "--student-set model.stochastic_depth=0.15 (repeatable)");
  command
      ->add_option("--student-init", o->student_init,
                   "Students start freshly initialised (fresh) or from their teacher's weights "
                   "(teacher: fine-tuning, so fewer epochs suffice)")
      ->check(CLI::IsMember(core::enum_names<StudentInit>()))
      ->capture_default_str();
  command->add_option("--fold", o->fold, "Hold out this fold for validation in every round");
  command->add_flag("--all-folds", o->all_folds,
                    "One model per fold each round; their ensemble labels the unlabelled "
                    "recordings, and the clips are labelled out of fold as the next round's "
                    "teacher");
  command
      ->add_option("--patience", o->patience,
                   "Stop after this many rounds without a better validation metric")
      ->capture_default_str();
  command->add_option("--cache", o->cache, "Feature cache folder, for every round's training");
  command->add_flag("--resume", o->resume, "Continue the rounds in --out after a kill");
  add_threads_option(*command, o->threads, "Threads (0 = all cores)");
  command->callback([o] { run_selftrain(*o); });
}

}  // namespace cli
}  // namespace chorus
