// chorus predict INPUT… --model M.ckpt [--model …] --out DIR: scores recordings (files or
// folders) chunk by chunk with one model or an ensemble and writes the submission, detections,
// Raven tables, Audacity labels and a species summary into DIR. Recordings run in parallel; each
// finished one is kept in DIR/parts, so --resume continues a killed run; a bad file goes to
// DIR/errors.csv and the run goes on (--fail-fast stops). --shard i/n takes part i of n of the
// inputs for array jobs; `chorus merge` joins the submissions. --budget MINUTES projects, after
// the first recordings, whether the run fits and how large an ensemble would (DIR/budget.json).

#include <fmt/format.h>

#include <array>
#include <memory>
#include <optional>

#include "audio/vorbis_decoder.hpp"
#include "cli/audio_progress.hpp"
#include "cli/commands.hpp"
#include "cli/network_commands.hpp"
#include "cli/number_checks.hpp"
#include "cli/scoring_options.hpp"
#include "core/config_file.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "core/wording.hpp"
#include "formats/class_list.hpp"
#include "formats/species_list.hpp"
#include "formats/species_names.hpp"
#include "infer/budget_monitor.hpp"
#include "infer/prediction_run.hpp"
#include "infer/run_manifest.hpp"

namespace chorus::cli {
namespace {

// BirdNET-Analyzer's everyday controls, each a short form of a --set (and winning over it).
struct EverydayFlags {
  std::optional<double> min_conf;
  std::optional<std::string> species_list;
  std::optional<int> top_n;
  std::optional<double> overlap;
  std::optional<int> merge_consecutive;
  std::optional<std::string> taxonomy;
  std::optional<std::string> channel;

  void add_to(CLI::App& command);
  // Appends each given flag to `source` as the --set it stands for.
  void apply(core::ConfigSource& source) const;
};

void EverydayFlags::add_to(CLI::App& command) {
  const infer::PostprocessConfig post;
  command
      .add_option("--min-conf", min_conf,
                  fmt::format("Detection threshold, 0–1 (postprocess.threshold; default {:g})",
                              post.threshold))
      ->check(fraction());
  command
      .add_option("--species-list", species_list,
                  "Report only the classes this file lists, one per line (postprocess.species)")
      ->check(CLI::ExistingFile);
  command
      .add_option("--taxonomy", taxonomy,
                  "Taxonomy CSV naming the classes (scientific and common names) in the Raven "
                  "and Kaleidoscope outputs (postprocess.taxonomy; default: the checkpoint's "
                  "names)")
      ->check(CLI::ExistingFile);
  command
      .add_option("--top-n", top_n,
                  fmt::format("At most N detections per chunk, the highest (postprocess.top_k; "
                              "default {}: all)",
                              post.top_k))
      ->check(non_negative_number());
  command
      .add_option("--overlap", overlap,
                  fmt::format("Seconds each chunk shares with the next (infer.overlap_seconds; "
                              "default {:g})",
                              infer::InferConfig{}.overlap_seconds))
      ->check(non_negative_number());
  command.add_option("--channel", channel,
                     "Channels scored: mix (their mean), a channel number from 1, or all (each "
                     "its own recording, <name>_ch<k>; the Raven Channel column says which) "
                     "(infer.channel; default mix)");
  command
      .add_option("--merge-consecutive", merge_consecutive,
                  fmt::format("Join at most N consecutive detected chunks into one detection "
                              "(postprocess.merge_consecutive; default {}: each chunk its own)",
                              post.merge_consecutive))
      ->check(positive_number());
}

void EverydayFlags::apply(core::ConfigSource& source) const {
  auto& o = source.overrides;
  if (min_conf) o.push_back(fmt::format("postprocess.threshold={}", *min_conf));
  if (species_list) o.push_back(fmt::format("postprocess.species={}", *species_list));
  if (taxonomy) o.push_back(fmt::format("postprocess.taxonomy={}", *taxonomy));
  if (top_n) o.push_back(fmt::format("postprocess.top_k={}", *top_n));
  if (overlap) o.push_back(fmt::format("infer.overlap_seconds={}", *overlap));
  if (channel) o.push_back(fmt::format("infer.channel={}", *channel));
  if (merge_consecutive)
    o.push_back(fmt::format("postprocess.merge_consecutive={}", *merge_consecutive));
}

struct PredictOptions {
  ScoringOptions scoring;
  EverydayFlags everyday;
  std::string out;
  std::string shard = "1/1";
  double budget_minutes = 0;  // 0: no budget
  bool resume = false;
};

void run_predict(PredictOptions& o, const infer::CompiledScorer::Fallback& fallback) {
  o.everyday.apply(o.scoring.config);
  core::ConfigSections sections;
  sections.bind(o.scoring.infer).bind(o.scoring.postprocess);
  sections.load(o.scoring.config);
  const graph::PrecisionChoice precision = o.scoring.resolve_precision();
  const auto [files, workers, threads_per_recording] = o.scoring.resolve_inputs();
  const std::jthread decoder_loading = audio::load_vorbis_decoder_in_background(files);
  const infer::Predictor predictor = o.scoring.predictor(fallback, threads_per_recording);
  const infer::PostprocessConfig& post = o.scoring.postprocess;

  const features::FeatureConfig& features = predictor.reference_features();
  infer::RunOptions run;
  run.out_dir = o.out;
  run.channels = o.scoring.infer.channels();
  run.manifest = infer::describe_run(o.scoring.models, o.scoring.ensemble, o.scoring.infer, post);
  run.shard = infer::parse_shard(o.shard);
  run.resume = o.resume;
  run.fail_fast = o.scoring.fail_fast;
  run.workers = workers;
  run.band = {features.f_min, features.f_max};
  run.detections = {.threshold = post.threshold,
                    .top_k = post.top_k,
                    .merge_consecutive = post.merge_consecutive};
  // Checked before any recording is scored: a misspelt species fails now, not hours later.
  if (!post.species.empty())
    run.output_classes = formats::read_species_list(post.species, predictor.classes());
  run.names =
      post.taxonomy.empty()
          ? predictor.species_names()
          : formats::SpeciesNames::from_taxonomy(
                formats::ClassList(predictor.classes(), "the model's classes"), post.taxonomy);
  const auto pending = infer::pending_recordings(files, run);
  fmt::print("networks in {}\n", precision.describe());
  AudioProgress progress(pending, core::Progress::enabled() || o.budget_minutes > 0);
  std::optional<infer::BudgetMonitor> budget;
  if (o.budget_minutes > 0) {
    budget.emplace(
        o.budget_minutes * 60, progress.total_seconds(),
        std::min<int>(workers, static_cast<int>(std::max<std::size_t>(1, pending.size()))),
        run.out_dir / "budget.json",
        [](const std::string& line) { fmt::print(stderr, "\n{}\n", line); });
  }
  const infer::RunSummary s = infer::run_prediction(
      predictor, files, run,
      [&](const infer::FinishedRecording& r) {
        progress.finished(r.name);
        if (budget && !r.failed) budget->record(r);
      },
      [&](const std::string& name, double seconds) { progress.scored(name, seconds); });
  progress.finish();
  if (const auto outcome = budget ? budget->finish() : std::nullopt) {
    const auto early = budget->early_plan();
    fmt::print("budget: the run took {:.0f} s of {:.0f} s{} ({}/budget.json)\n",
               outcome->measured.wall_seconds, outcome->budget_seconds,
               early ? fmt::format(", projected at {:.0f} s after {} recordings",
                                   early->projected_seconds, early->measured.recordings)
                     : std::string(),
               o.out);
  }
  fmt::print("{}: {} predicted, {} resumed, {} failed{}\n",
             core::counted(s.recordings, "recording"), s.predicted, s.resumed, s.failed,
             s.failed > 0 ? fmt::format(" (see {}/errors.csv)", o.out) : "");
  // Exit status 2 when nothing could be scored, so a script notices; some failures among
  // successes leave 0 and errors.csv.
  CHORUS_CHECK_AS(FormatError, s.failed == 0 || s.predicted + s.resumed > 0,
                  "no recording could be predicted ({} failed; see {}/errors.csv)", s.failed,
                  o.out);
  if (s.elapsed_seconds > 0 && s.audio_seconds > 0)
    fmt::print("{:.0f} s of audio in {:.1f} s: {:.0f}× real time\n", s.audio_seconds,
               s.elapsed_seconds, s.audio_seconds / s.elapsed_seconds);
  // How infer.batch_size grouped the windows: what it changes is speed and memory, not scores.
  if (s.network_calls > 0)
    fmt::print("{} through the networks in {} (infer.batch_size {})\n",
               core::counted(s.windows, "window"), core::counted(s.network_calls, "call"),
               o.scoring.infer.batch_size);
}

}  // namespace

void add_predict_command(CLI::App& app, infer::CompiledScorer::Fallback fallback) {
  auto o = std::make_shared<PredictOptions>();
  auto* command = add_subcommand(app, NetworkCommand::predict);
  o->scoring.add_to(*command, "[infer] [postprocess]", "postprocess.threshold=0.3");
  o->everyday.add_to(*command);
  command
      ->add_option("--out", o->out,
                   "Output folder; without --resume, the files an earlier run wrote there "
                   "(outputs, parts/, raven/, audacity/) are removed first, others are kept")
      ->required();
  command->add_option("--shard", o->shard, "Part I of N of the inputs, e.g. 3/8")
      ->capture_default_str();
  command
      ->add_option(
          "--budget", o->budget_minutes,
          "Minutes the run may take: after the first recordings, project the total time and the "
          "largest ensemble that fits (log and OUT/budget.json)")
      ->check(positive_number());
  command->add_flag("--resume", o->resume,
                    "Skip recordings a previous run into --out finished (refused when its models "
                    "or scoring settings differ: see OUT/run.json)");
  command->callback([o, fallback = std::move(fallback)] { run_predict(*o, fallback); });
}

}  // namespace chorus::cli
