// chorus pseudo INPUT… --model M.ckpt [--model …] [--ensemble EXPR] --out labels.csv: labels
// unlabelled recordings for self-training. The same Predictor as `chorus predict` scores every
// chunk ([infer]: context windows, a finer sliding grid, or SED frames pooled to
// infer.chunk_seconds); the [pseudo] transforms turn the probabilities into soft targets; the
// table (formats/pseudo_table.hpp) is written atomically. A bad recording is reported and the
// rest go on (--fail-fast stops); the command fails when no recording could be labelled.
//
// chorus pseudo DATASET --oof [--metadata FOLDS.csv] --model fold0/best.ckpt --model …: labels a
// labelled dataset's own recordings out of fold: each recording only by the models that held its
// fold out in training (their checkpoints record the fold and a digest of the fold assignment,
// which must be the dataset's), so no recording is labelled by a model that trained on it.

#include <fmt/format.h>

#include <atomic>
#include <map>
#include <memory>
#include <optional>

#include "audio/vorbis_decoder.hpp"
#include "cli/commands.hpp"
#include "cli/network_commands.hpp"
#include "cli/pseudo_run.hpp"
#include "cli/scoring_options.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "core/wording.hpp"
#include "data/dataset_layout.hpp"
#include "data/folds.hpp"
#include "formats/pseudo_table.hpp"
#include "infer/checkpoint_scorers.hpp"
#include "infer/pseudo_labels.hpp"

namespace chorus::cli {
namespace {

// The recordings to label, each with the Predictor that labels it.
struct LabelPlan {
  std::vector<std::filesystem::path> files;
  std::vector<const infer::Predictor*> labeller;  // per file
  std::vector<std::unique_ptr<infer::Predictor>> predictors;
  std::vector<std::string> notes;  // what was left out, for the user
  int workers = 1;                 // recordings labelled at once
};

LabelPlan plain_plan(const PseudoOptions& o) {
  LabelPlan plan;
  auto resolved = o.scoring.resolve_inputs();
  plan.files = std::move(resolved.files);
  plan.workers = resolved.workers;
  const std::jthread decoder_loading = audio::load_vorbis_decoder_in_background(plan.files);
  plan.predictors.push_back(std::make_unique<infer::Predictor>(
      o.scoring.predictor(infer::described_scorer, resolved.threads_per_recording)));
  plan.labeller.assign(plan.files.size(), plan.predictors.front().get());
  return plan;
}

LabelPlan out_of_fold_plan(const PseudoOptions& o) {
  CHORUS_CHECK_AS(ConfigError, o.scoring.inputs.size() == 1,
                  "--oof labels one dataset folder, not {} inputs", o.scoring.inputs.size());
  const std::filesystem::path dir = o.scoring.inputs.front();
  // The recipe's [data] reads the clips as training did (unknown secondaries, segments); the
  // items it would add besides them are not the dataset's own and are left out.
  data::DataConfig reading = o.data;
  reading.nocall_dir.clear();
  reading.teacher.clear();
  reading.pseudo_labels.clear();
  const data::Dataset dataset =
      data::open_dataset(dir, o.metadata, reading, core::resolve_threads(o.scoring.threads))
          .dataset;
  const std::string digest = data::fold_digest(dataset);
  // The models by the fold they held out, each a member named by its file stem.
  std::map<int, std::map<std::string, std::shared_ptr<infer::WindowScorer>>> members;
  for (const std::string& path : o.scoring.models) {
    const models::Checkpoint checkpoint = models::Checkpoint::read(path);
    CHORUS_CHECK_AS(ConfigError, checkpoint.held_out_fold >= 0,
                    "{}: trained without a held-out fold, so which recordings it saw is unknown "
                    "(train with --fold K or --all-folds for out-of-fold labels)",
                    path);
    CHORUS_CHECK_AS(ConfigError, checkpoint.fold_digest == digest,
                    "{}: trained on another fold assignment than {}'s {}(pass the clip table it "
                    "was trained with as --metadata)",
                    path, dir.string(),
                    o.metadata.empty() ? std::string() : fmt::format("in {} ", o.metadata));
    auto& fold = members[checkpoint.held_out_fold];
    const std::string name = std::filesystem::path(path).stem().string();
    CHORUS_CHECK_AS(ConfigError, !fold.contains(name), "two models named '{}' for fold {}", name,
                    checkpoint.held_out_fold);
    fold.emplace(name, infer::compiled_scorer(checkpoint, o.scoring.infer.precision));
  }
  LabelPlan plan;
  const std::vector<int> folds = data::file_folds(dataset);
  std::size_t never_held_out = 0;
  std::map<int, std::size_t> without_model;
  std::vector<int> fold_of_file;
  for (std::size_t f = 0; f < dataset.files.size(); ++f) {
    if (folds[f] == data::kAlwaysTrain)
      ++never_held_out;
    else if (!members.contains(folds[f]))
      ++without_model[folds[f]];
    else {
      plan.files.push_back(dataset.files[f]);
      fold_of_file.push_back(folds[f]);
    }
  }
  CHORUS_CHECK_AS(ConfigError, !plan.files.empty(),
                  "{}: no recording is in a fold that one of the models held out", dir.string());
  const auto split = o.scoring.split_threads(plan.files.size());
  plan.workers = split.workers;
  std::map<int, const infer::Predictor*> by_fold;
  for (auto& [fold, fold_members] : members) {
    plan.predictors.push_back(std::make_unique<infer::Predictor>(
        o.scoring.predictor(std::move(fold_members), split.threads_per_recording)));
    by_fold[fold] = plan.predictors.back().get();
    CHORUS_CHECK_AS(ModelError,
                    plan.predictors.back()->classes() == plan.predictors.front()->classes(),
                    "the fold {} models have other classes than the fold {} models", fold,
                    members.begin()->first);
  }
  for (int fold : fold_of_file) plan.labeller.push_back(by_fold.at(fold));
  if (never_held_out > 0)
    plan.notes.push_back(fmt::format(
        "{} recordings left out: in no fold, so every model trained on them", never_held_out));
  for (const auto& [fold, count] : without_model)
    plan.notes.push_back(
        fmt::format("{} recordings of fold {} left out: no model held that fold out", count, fold));
  return plan;
}

}  // namespace

std::size_t run_pseudo(PseudoOptions& o) {
  core::ConfigSections sections;
  sections.bind(o.scoring.infer).bind(o.scoring.postprocess).bind(o.pseudo).bind(o.data);
  sections.load(o.scoring.config);
  CHORUS_CHECK_AS(ConfigError,
                  o.scoring.infer.channels().kind != infer::ChannelSelection::Kind::each,
                  "infer.channel = all: chorus pseudo labels one signal per recording (mix, or "
                  "a channel number)");
  o.pseudo.validate();
  o.data.validate();
  const graph::PrecisionChoice precision = o.scoring.resolve_precision();
  CHORUS_CHECK_AS(ConfigError, o.out_of_fold || o.metadata.empty(),
                  "--metadata names the folds of --oof; without --oof there is no dataset");
  CHORUS_CHECK_AS(ConfigError,
                  o.scoring.postprocess.activation != infer::Activation::none ||
                      o.scoring.infer.mode == infer::InferMode::sed,
                  "postprocess.activation = none: pseudo-labels are probabilities, not logits "
                  "(use sigmoid or softmax)");
  const LabelPlan plan = o.out_of_fold ? out_of_fold_plan(o) : plain_plan(o);
  fmt::print("networks in {}\n", precision.describe());
  const std::vector<std::filesystem::path>& files = plan.files;

  std::vector<std::optional<infer::RecordingScores>> scores(files.size());
  core::Progress progress("pseudo", files.size(), "files");
  std::atomic<bool> stop{false};
  const auto failures =
      core::parallel_for_each_item(files.size(), plan.workers, [&](std::size_t i) {
        if (stop) return;
        try {
          scores[i] = plan.labeller[i]->predict(files[i]);
          progress.advance();
        } catch (const Error&) {
          progress.advance();
          if (o.scoring.fail_fast) stop = true;
          throw;
        }
      });
  progress.finish();
  CHORUS_CHECK_AS(FormatError, !(o.scoring.fail_fast && !failures.empty()),
                  "{} (stopped: --fail-fast)", failures.empty() ? "" : failures.front().message);

  formats::PseudoTable table;
  table.classes = plan.predictors.front()->classes();
  std::size_t chunks = 0;
  for (const auto& s : scores) {
    if (!s) continue;
    chunks += s->chunks.size();
    infer::append_pseudo_rows(*s, o.pseudo, table);
  }
  for (const core::ItemFailure& f : failures)
    fmt::print(stderr, "error: {}: {}\n", files[f.index].string(), f.message);
  CHORUS_CHECK_AS(IoError, failures.size() < files.size(), "no recording could be labelled");
  formats::write_pseudo_table(o.out, table);
  for (const std::string& note : plan.notes) fmt::print("{}\n", note);
  fmt::print(
      "{}: {} labelled, {} failed; {} of {} chunks kept ({} below "
      "pseudo.min_confidence) → {}\n",
      core::counted(files.size(), "recording"), files.size() - failures.size(), failures.size(),
      table.rows.size(), chunks, chunks - table.rows.size(), o.out);
  return table.rows.size();
}

void add_pseudo_command(CLI::App& app) {
  auto o = std::make_shared<PseudoOptions>();
  auto* command = add_subcommand(app, NetworkCommand::pseudo);
  o->scoring.add_to(*command, "[infer] [postprocess] [pseudo], and [data] with --oof",
                    "pseudo.row_cap=0.75");
  command->add_option("--out", o->out, "Pseudo-label table to write (CSV)")->required();
  command->add_flag("--oof", o->out_of_fold,
                    "The input is a labelled dataset: label each recording only with the models "
                    "that held its fold out (checkpoints of chorus train --fold / --all-folds)");
  command
      ->add_option("--metadata", o->metadata,
                   "With --oof: the clip table with the folds the models were trained on")
      ->check(CLI::ExistingFile);
  command->callback([o] { run_pseudo(*o); });
}

}  // namespace chorus::cli
