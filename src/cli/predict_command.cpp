// chorus predict INPUT… --model M.ckpt [--model …] --out DIR: scores recordings (files or
// folders) chunk by chunk with one model or an ensemble and writes the submission, detections,
// Raven tables, Audacity labels and a species summary into DIR. Recordings run in parallel; each
// finished one is kept in DIR/parts, so --resume continues a killed run; a bad file goes to
// DIR/errors.csv and the run goes on (--fail-fast stops). --shard i/n takes part i of n of the
// inputs for array jobs; `chorus merge` joins the submissions. --budget MINUTES projects, after
// the first recordings, whether the run fits and how large an ensemble would (DIR/budget.json).

#include <ATen/Parallel.h>
#include <fmt/format.h>

#include <array>
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "cli/config_options.hpp"
#include "cli/network_commands.hpp"
#include "core/config_file.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/progress.hpp"
#include "infer/budget_monitor.hpp"
#include "infer/network_scorer.hpp"
#include "infer/prediction_run.hpp"

namespace chorus::cli {
namespace {

struct PredictOptions {
  std::vector<std::string> inputs;
  std::vector<std::string> models;
  std::string out;
  std::string ensemble;
  std::string shard = "1/1";
  double budget_minutes = 0;  // 0: no budget
  bool resume = false;
  bool fail_fast = false;
  int threads = 1;
  core::ConfigSource config;
  infer::InferConfig infer;
  infer::PostprocessConfig postprocess;
};

void run_predict(PredictOptions& o) {
  core::ConfigSections sections;
  sections.bind(o.infer).bind(o.postprocess);
  sections.load(o.config);
  const int threads = core::resolve_threads(o.threads);

  const auto files = infer::prediction_inputs({o.inputs.begin(), o.inputs.end()});
  CHORUS_CHECK_AS(IoError, !files.empty(), "no audio files among the inputs");
  // Many recordings: one per thread, each model single-threaded. A single recording: all the
  // threads inside it.
  const int workers = std::min<int>(threads, static_cast<int>(files.size()));
  at::set_num_threads(std::max(1, threads / workers));

  std::map<std::string, std::shared_ptr<infer::WindowScorer>> members;
  for (const std::string& m : o.models) {
    const std::string name = std::filesystem::path(m).stem().string();
    CHORUS_CHECK_AS(ConfigError, !members.contains(name), "two models named '{}'", name);
    members.emplace(name, infer::NetworkScorer::from_checkpoint(m));
  }
  infer::PredictorOptions predictor_options;
  predictor_options.infer = o.infer;
  predictor_options.postprocess = o.postprocess;
  predictor_options.ensemble = o.ensemble;
  predictor_options.threads = std::max(1, threads / workers);
  const infer::Predictor predictor(members, predictor_options);

  const auto& features = members.begin()->second->features();
  infer::RunOptions run;
  run.out_dir = o.out;
  run.shard = infer::parse_shard(o.shard);
  run.resume = o.resume;
  run.fail_fast = o.fail_fast;
  run.workers = workers;
  run.band = {features.f_min, features.f_max};
  run.threshold = o.postprocess.threshold;
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
  command->add_option("inputs", o->inputs, "Audio files and folders")->required();
  command->add_option("--model", o->models, "Checkpoint (repeat for an ensemble)")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--out", o->out, "Output folder")->required();
  command->add_option(
      "--ensemble", o->ensemble,
      "Reduction over the models (by file stem), e.g. \"mean(min(effnet*), min(regnet*))\"");
  command->add_option("--shard", o->shard, "Part I of N of the inputs, e.g. 3/8")
      ->capture_default_str();
  command
      ->add_option(
          "--budget", o->budget_minutes,
          "Minutes the run may take: after the first recordings, project the total time and the "
          "largest ensemble that fits (log and OUT/budget.json)")
      ->check(CLI::PositiveNumber);
  command->add_flag("--resume", o->resume, "Skip recordings a previous run finished");
  command->add_flag("--fail-fast", o->fail_fast, "Stop at the first bad recording");
  command->add_option("--threads", o->threads, "Worker threads (0 = all cores)")
      ->capture_default_str();
  add_config_options(*command, o->config, "[infer] [postprocess]", "postprocess.threshold=0.3");
  command->callback([o] { run_predict(*o); });
}

}  // namespace chorus::cli
