// chorus train DATASET --out DIR [--config FILE] [--set key=value …] [--fold K | --all-folds]:
// trains a model on a labelled dataset — a BirdCLEF-layout folder (train_metadata.csv and
// train_audio/) or an RFCX one (train_tp.csv, train_fp.csv and train/*.flac) — holding out fold K
// (the metadata's `fold` column, see `chorus folds`) for validation through the Predictor. Writes
// DIR/best.ckpt, DIR/last.ckpt, DIR/train_log.jsonl, DIR/config.toml and the resume state;
// --resume continues a killed run. --world-size/--rank/--master (or torchrun's environment)
// train data-parallel over several processes.

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <set>

#include "cli/commands.hpp"
#include "cli/config_options.hpp"
#include "cli/network_commands.hpp"
#include "cli/number_checks.hpp"
#include "cli/threads_option.hpp"
#include "cli/train_run.hpp"
#include "cli/training_curves.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "core/wording.hpp"
#include "data/dataset.hpp"
#include "data/dataset_layout.hpp"
#include "data/teacher_labels.hpp"
#include "features/feature_cache.hpp"
#include "features/feature_store.hpp"
#include "formats/csv_table.hpp"
#include "graph/precision.hpp"
#include "train/distributed.hpp"
#include "train/trainer.hpp"

namespace chorus::cli {
namespace {

// The dataset under DIR, in whichever layout it has, with data.nocall_dir's recordings,
// data.pseudo_labels' items and data.teacher's table.
data::OpenedDataset open_dataset(const TrainOptions& o, const train::ExperimentConfig& config) {
  data::OpenedDataset opened = data::open_dataset(o.dataset, o.metadata, config.data, o.threads);
  if (opened.raven) {
    const data::RavenDataset& r = *opened.raven;
    std::size_t with_calls = 0;
    for (const data::Item& item : opened.dataset.items)
      with_calls += std::any_of(item.target.values.begin(), item.target.values.end(),
                                [](float v) { return v > 0; });
    fmt::print(
        "Raven tables: {} over {} → {} clips of {} s ({} with a call), folds by "
        "recording\n",
        core::counted(r.tables, "table"), core::counted(opened.dataset.files.size(), "recording"),
        opened.dataset.items.size(), config.data.window_seconds, with_calls);
    if (!r.left_out.empty()) {
      std::vector<std::string> labels;
      for (const auto& [label, count] : r.left_out)
        labels.push_back(fmt::format("{} ({})", label, count));
      fmt::print("  selections whose label is not a class, left out: {}\n",
                 fmt::join(labels, ", "));
    }
  }
  if (opened.nocall_recordings > 0)
    fmt::print("{} no-call recordings from {}: {} items\n", opened.nocall_recordings,
               config.data.nocall_dir, opened.nocall_items);
  if (opened.teacher) {
    const formats::TeacherTable& t = *opened.teacher;
    fmt::print("teacher {} ({}): {} chunks over {} classes\n", config.data.teacher,
               formats::describe(t.format), t.table.rows.size(), t.table.classes.size());
    if (!t.unknown_names.empty()) {
      std::vector<std::string> names;
      for (const auto& [name, rows] : t.unknown_names)
        names.push_back(fmt::format("{} ({} rows)", name, rows));
      fmt::print("  {} names no class goes by, left out: {}\n", names.size(),
                 fmt::join(names, ", "));
    }
  }
  if (opened.pseudo.items > 0)
    fmt::print("pseudo-labels {}: {} items from {} recordings (weight {}{})\n",
               config.data.pseudo_labels, opened.pseudo.items, opened.pseudo.recordings,
               config.data.pseudo_weight,
               config.data.pseudo_use == data::PseudoUse::mix
                   ? fmt::format(", mixed into inputs with data.pseudo_mix_p = {}",
                                 config.data.pseudo_mix_p)
                   : std::string());
  return opened;
}

// The teacher applied to a fold's training items: counts printed, each item's decision written
// to out_dir/teacher_decisions.csv. Returns the items left to train on.
std::vector<std::size_t> apply_teacher(const formats::TeacherTable& teacher,
                                       const train::ExperimentConfig& config,
                                       train::TrainSetup& setup, bool leader) {
  const data::TeacherReport r = data::apply_teacher(setup.dataset, teacher.table, config.data,
                                                    setup.train_items, config.data.teacher);
  if (!leader) return r.train_items;
  const data::Dataset& d = setup.dataset;
  std::vector<std::vector<std::string>> rows;
  for (const data::TeacherOutcome& o : r.outcomes) {
    const data::Item& item = d.items[o.item];
    rows.push_back({d.files[item.file].string(), fmt::format("{}", item.start_seconds),
                    fmt::format("{}", item.end_seconds),
                    item.labels.empty() ? std::string() : d.classes.name(item.labels.front()),
                    o.top1 ? d.classes.name(*o.top1) : std::string(),
                    fmt::format("{}", o.top1_probability),
                    std::string(core::enum_name(o.decision))});
  }
  const auto path = setup.out_dir / "teacher_decisions.csv";
  formats::write_csv(
      path,
      {"recording", "start_s", "end_s", "label", "teacher_top1", "teacher_probability", "decision"},
      rows);
  fmt::print(
      "teacher: {} items blended (data.pseudo_blend = {}), {} promoted, {} dropped, {} "
      "without the teacher's labels{} → {}\n",
      r.blended, config.data.pseudo_blend, r.promoted, r.dropped, r.unlabelled,
      config.data.teacher_masked_weight > 0
          ? fmt::format("; {} masked cells filled (weight {})", r.filled_cells,
                        config.data.teacher_masked_weight)
          : std::string(),
      path.string());
  return r.train_items;
}

// What `chorus train` shows of a run: progress bars, a line per epoch, warnings on stderr, and
// the training curves redrawn into the run's folder after every epoch.
class TrainReport final : public train::TrainObserver {
 public:
  explicit TrainReport(std::filesystem::path out_dir) : out_dir_(std::move(out_dir)) {}

  core::ProgressSink* progress() override { return &progress_; }
  void epoch_finished(const train::EpochRecord& record,
                      const std::vector<train::EpochRecord>& records, int epochs) override {
    write_training_curves(out_dir_ / "training_curves.png", records);
    // The whole run's time left, from this process's epochs so far (validation and saving
    // included; a resumed run's earlier epochs ran elsewhere).
    ++epochs_here_;
    const double per_epoch =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() /
        epochs_here_;
    const int left = epochs - record.epoch;
    fmt::print("{}{}\n", train::describe(record, epochs),
               left > 0
                   ? fmt::format(" | run: about {} left", core::format_duration(per_epoch * left))
                   : std::string());
  }
  void note(const std::string& message) override { fmt::print("{}\n", message); }
  void warning(const std::string& message) override {
    fmt::print(stderr, "warning: {}\n", message);
  }

 private:
  std::filesystem::path out_dir_;
  core::TerminalProgress progress_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  int epochs_here_ = 0;
};

std::set<int> folds_of(const data::Dataset& dataset) {
  std::set<int> folds;
  for (const data::Item& item : dataset.items)
    if (item.fold >= 0) folds.insert(item.fold);
  return folds;
}

// Every recording's mel power in the feature cache (computed where missing), then mapped or in RAM.
std::unique_ptr<features::FeatureStore> open_cache(const TrainOptions& o,
                                                   const data::Dataset& dataset,
                                                   const train::ExperimentConfig& config) {
  features::FeatureCache cache(o.cache, config.audio, config.features);
  core::TerminalProgress progress;
  const auto failures = cache.ensure_all(dataset.files, o.threads, &progress).failures;
  CHORUS_CHECK_AS(FormatError, failures.empty(),
                  "{} of {} recordings could not be cached; first: {}", failures.size(),
                  dataset.files.size(), failures.empty() ? "" : failures.front().message);
  return std::make_unique<features::FeatureStore>(
      cache, dataset.files,
      o.ram ? features::FeatureStore::Residence::ram : features::FeatureStore::Residence::mapped);
}

TrainedModel train_fold(const TrainOptions& o, const train::ExperimentConfig& config,
                        const data::OpenedDataset& opened, const features::FeatureStore* cache,
                        train::Distributed* distributed, int fold,
                        const std::filesystem::path& out_dir) {
  const data::Dataset& dataset = opened.dataset;
  train::TrainSetup setup;
  setup.config = config;
  setup.dataset = dataset;
  for (std::size_t i = 0; i < dataset.items.size(); ++i)
    (fold >= 0 && dataset.items[i].fold == fold ? setup.validation_items : setup.train_items)
        .push_back(i);
  setup.held_out_fold = fold;
  setup.out_dir = out_dir;
  setup.threads = o.threads;
  // With --all-folds, a fold that has no state yet (not reached before the kill) starts.
  setup.resume =
      o.resume && (!o.all_folds || std::filesystem::exists(out_dir / "train_state.safetensors"));
  setup.stop_after_epochs = o.stop_after;
  setup.cache = cache;
  setup.distributed = distributed;
  TrainReport report(out_dir);
  setup.observer = &report;
  std::filesystem::create_directories(out_dir);
  const bool leader = distributed == nullptr || distributed->rank() == 0;
  if (opened.teacher) setup.train_items = apply_teacher(*opened.teacher, config, setup, leader);
  if (leader) core::write_file_atomically(out_dir / "config.toml", config.to_toml());
  // With pseudo_use = mix the pseudo-labelled items are mixed into inputs, not drawn.
  const auto mixed =
      config.data.pseudo_use == data::PseudoUse::mix
          ? std::count_if(setup.train_items.begin(), setup.train_items.end(),
                          [&](std::size_t i) { return dataset.items[i].pseudo_labelled; })
          : 0;
  fmt::print(
      "training {} on {} items{}{}\n", config.model.arch,
      setup.train_items.size() - static_cast<std::size_t>(mixed),
      mixed > 0 ? fmt::format(" (and {} pseudo-labelled windows to mix in)", mixed) : std::string(),
      fold >= 0
          ? fmt::format(", validating on fold {} ({} items)", fold, setup.validation_items.size())
          : std::string(" (no validation)"));
  const train::TrainResult r = train::train(setup);
  if (leader) {
    if (fold >= 0 && r.best_epoch < 0)
      fmt::print(stderr,
                 "warning: no epoch gave a defined {} on fold {} (its recordings lack a positive "
                 "or a negative of every class), so there is no best.ckpt: {} holds the last "
                 "epoch; choose another train.best_metric or hold out more recordings\n",
                 core::enum_name(config.train.best_metric), fold, r.last_checkpoint.string());
    else if (fold >= 0)
      fmt::print("best: epoch {} ({} {:.4f}) → {}\n", r.best_epoch,
                 core::enum_name(config.train.best_metric), r.best_score,
                 r.best_checkpoint.string());
    else
      fmt::print("trained {} epochs → {}\n", r.epochs_done, r.last_checkpoint.string());
  }
  return {fold, out_dir, r};
}

}  // namespace

std::vector<TrainedModel> run_train(TrainOptions& o) {
  train::ExperimentConfig config;
  config.load(o.config);
  // Resolved once, so config.toml and the checkpoints record the precision used.
  const graph::Precision requested = config.train.precision;
  const graph::PrecisionChoice precision = graph::resolve_precision(requested, "train.precision");
  config.train.precision = precision.precision;
  if (requested != graph::Precision::fp32)
    fmt::print("forward passes in {}\n", precision.describe());
  if (config.infer.precision == graph::Precision::int8)
    fmt::print(
        "validation in fp32 (infer.precision = int8 needs the model calibrated after "
        "training: chorus calibrate)\n");
  else if (config.infer.precision != graph::Precision::fp32)
    fmt::print("validation in {}\n", graph::resolve_precision(config.infer.precision).describe());
  o.threads = core::resolve_threads(o.threads);
  const data::OpenedDataset opened = open_dataset(o, config);
  const data::Dataset& dataset = opened.dataset;
  CHORUS_CHECK_AS(ConfigError, !(o.all_folds && o.fold >= 0),
                  "--fold and --all-folds exclude each other");
  const std::set<int> folds = folds_of(dataset);
  if (o.fold >= 0 || o.all_folds)
    CHORUS_CHECK_AS(
        ConfigError, !folds.empty(),
        "{}: no item has a fold (no `fold` column, or only negative values in it); assign folds "
        "with `chorus folds` first",
        o.dataset);
  if (o.fold >= 0)
    CHORUS_CHECK_AS(ConfigError, folds.contains(o.fold), "--fold {}: the dataset's folds are {}",
                    o.fold, fmt::join(folds, ", "));
  // The class count follows the data unless the configuration fixes it.
  if (config.model.num_classes != static_cast<int>(dataset.classes.size())) {
    fmt::print("model.num_classes = {} from the dataset's {} classes\n", dataset.classes.size(),
               dataset.classes.size());
    config.model.num_classes = static_cast<int>(dataset.classes.size());
  }

  std::optional<train::DistributedOptions> distributed_options =
      train::DistributedOptions::from_environment();
  if (o.world_size > 1) {
    distributed_options.emplace();
    distributed_options->world_size = o.world_size;
    distributed_options->rank = o.rank;
    distributed_options->set_master(o.master);
  }
  std::unique_ptr<train::Distributed> distributed;
  if (distributed_options && distributed_options->world_size > 1)
    distributed = std::make_unique<train::Distributed>(*distributed_options);
  if (distributed && distributed->rank() != 0) core::Progress::set_enabled(false);

  std::unique_ptr<features::FeatureStore> cache;
  if (!o.cache.empty()) cache = open_cache(o, dataset, config);

  const std::filesystem::path out(o.out);
  std::vector<TrainedModel> trained;
  if (o.all_folds) {
    for (const int fold : folds)
      trained.push_back(train_fold(o, config, opened, cache.get(), distributed.get(), fold,
                                   out / fmt::format("fold{}", fold)));
  } else {
    trained.push_back(train_fold(o, config, opened, cache.get(), distributed.get(), o.fold, out));
  }
  return trained;
}

void add_train_command(CLI::App& app) {
  auto o = std::make_shared<TrainOptions>();
  auto* command = add_subcommand(app, NetworkCommand::train);
  command
      ->add_option("dataset", o->dataset,
                   "Dataset folder: train_metadata.csv + train_audio/ (BirdCLEF), train_tp.csv + "
                   "train_fp.csv + train/ (RFCX), or recordings with Raven selection tables")
      ->required()
      ->check(CLI::ExistingDirectory);
  command
      ->add_option("--metadata", o->metadata,
                   "Clip table to use instead of DATASET/train_metadata.csv (e.g. with folds from "
                   "chorus folds)")
      ->check(CLI::ExistingFile);
  command->add_option("--out", o->out, "Output folder (checkpoints, log, resume state)")
      ->required();
  add_config_options(*command, o->config, "every section (see examples/)", "train.epochs=12");
  command->add_option("--fold", o->fold, "Hold out this fold for validation");
  command->add_flag("--all-folds", o->all_folds, "Train one model per fold, into DIR/fold<k>");
  command->add_option("--cache", o->cache,
                      "Feature cache folder (filled where missing; see chorus prepare)");
  command->add_flag("--ram", o->ram, "With --cache: hold every spectrogram in RAM");
  command->add_flag("--resume", o->resume,
                    "Continue the run in --out from its last finished epoch (with --all-folds, "
                    "folds not reached yet start)");
  command
      ->add_option("--stop-after", o->stop_after,
                   "Leave after this many epochs with the state saved, to --resume later "
                   "(time-limited jobs)")
      ->check(non_negative_number());
  add_threads_option(*command, o->threads, "Threads (0 = all cores)");
  command->add_option("--world-size", o->world_size, "Processes in data-parallel training")
      ->check(positive_number())
      ->capture_default_str();
  command->add_option("--rank", o->rank, "This process's rank, 0 … world-size − 1")
      ->check(non_negative_number())
      ->capture_default_str();
  command->add_option("--master", o->master, "Rank 0's HOST:PORT for the rendezvous")
      ->capture_default_str();
  command->callback([o] { run_train(*o); });
}

}  // namespace chorus::cli
