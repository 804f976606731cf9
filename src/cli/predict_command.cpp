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

#include "cli/commands.hpp"
#include "cli/network_commands.hpp"
#include "cli/scoring_options.hpp"
#include "core/config_file.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "infer/budget_monitor.hpp"
#include "infer/prediction_run.hpp"

namespace chorus::cli {
namespace {

struct PredictOptions {
  ScoringOptions scoring;
  std::string out;
  std::string shard = "1/1";
  double budget_minutes = 0;  // 0: no budget
  bool resume = false;
};

void run_predict(PredictOptions& o) {
  core::ConfigSections sections;
  sections.bind(o.scoring.infer).bind(o.scoring.postprocess);
  sections.load(o.scoring.config);
  const auto [files, workers, threads_per_recording] = o.scoring.resolve_inputs();
  const infer::Predictor predictor = o.scoring.predictor(threads_per_recording);

  const features::FeatureConfig& features = predictor.reference_features();
  infer::RunOptions run;
  run.out_dir = o.out;
  run.shard = infer::parse_shard(o.shard);
  run.resume = o.resume;
  run.fail_fast = o.scoring.fail_fast;
  run.workers = workers;
  run.band = {features.f_min, features.f_max};
  run.threshold = o.scoring.postprocess.threshold;
  const auto mine = infer::shard_inputs(files, run.shard);
  std::optional<infer::BudgetMonitor> budget;
  if (o.budget_minutes > 0) {
    const auto pending = infer::pending_inputs(files, run);
    budget.emplace(
        o.budget_minutes * 60, infer::audio_duration_seconds(pending),
        std::min<int>(workers, static_cast<int>(std::max<std::size_t>(1, pending.size()))),
        run.out_dir / "budget.json",
        [](const std::string& line) { fmt::print(stderr, "\n{}\n", line); });
  }
  core::Progress progress("predict", mine.size(), "files");
  const infer::RunSummary s =
      infer::run_prediction(predictor, files, run, [&](const infer::FinishedRecording& r) {
        progress.advance();
        if (budget) budget->record(r);
      });
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
  fmt::print("{} recordings: {} predicted, {} resumed, {} failed (see {}/errors.csv)\n",
             s.recordings, s.predicted, s.resumed, s.failed, o.out);
  if (s.elapsed_seconds > 0 && s.audio_seconds > 0)
    fmt::print("{:.0f} s of audio in {:.1f} s: {:.0f}× real time\n", s.audio_seconds,
               s.elapsed_seconds, s.audio_seconds / s.elapsed_seconds);
}

}  // namespace

void add_predict_command(CLI::App& app) {
  auto o = std::make_shared<PredictOptions>();
  auto* command = add_subcommand(app, NetworkCommand::predict);
  o->scoring.add_to(*command, "[infer] [postprocess]", "postprocess.threshold=0.3");
  command->add_option("--out", o->out, "Output folder")->required();
  command->add_option("--shard", o->shard, "Part I of N of the inputs, e.g. 3/8")
      ->capture_default_str();
  command
      ->add_option(
          "--budget", o->budget_minutes,
          "Minutes the run may take: after the first recordings, project the total time and the "
          "largest ensemble that fits (log and OUT/budget.json)")
      ->check(CLI::PositiveNumber);
  command->add_flag("--resume", o->resume, "Skip recordings a previous run finished");
  command->callback([o] { run_predict(*o); });
}

}  // namespace chorus::cli
