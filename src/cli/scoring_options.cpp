#include "cli/scoring_options.hpp"

#include "checkpoint/checkpoint_metadata.hpp"
#include "cli/config_options.hpp"
#include "cli/threads_option.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "graph/threads.hpp"
#include "infer/prediction_run.hpp"

namespace chorus::cli {

void ScoringOptions::add_to(CLI::App& command, const std::string& sections,
                            const std::string& example) {
  command.add_option("inputs", inputs, "Audio files and folders")->required();
  command.add_option("--model", models, "Checkpoint (repeat for an ensemble)")
      ->required()
      ->check(CLI::ExistingFile);
  command.add_option(
      "--ensemble", ensemble,
      "Reduction over the models (by file stem), e.g. \"mean(min(effnet*), min(regnet*))\"");
  command.add_flag("--fail-fast", fail_fast, "Stop at the first bad recording");
  add_threads_option(command, threads, "Worker threads (0 = all cores)");
  command
      .add_option("--precision", precision,
                  "Number format of the networks: fp32, bf16 (faster where the CPU has "
                  "AVX512-BF16 or AMX; docs/predict.md), int8 (a model calibrated by chorus "
                  "calibrate) or auto (int8 for calibrated models, but for networks with "
                  "depthwise convolutions only on a CPU with VNNI and without native bf16; else "
                  "bf16 where native, else fp32) (infer.precision; default fp32)")
      ->check(CLI::IsMember(core::enum_names<graph::Precision>()));
  add_config_options(command, config, sections, example);
}

ScoringOptions::ThreadSplit ScoringOptions::split_threads(std::size_t recordings) const {
  const int all = core::resolve_threads(threads);
  ThreadSplit split;
  split.workers = std::max(1, std::min<int>(all, static_cast<int>(recordings)));
  split.threads_per_recording = std::max(1, all / split.workers);
  graph::set_inference_threads(split.threads_per_recording);
  return split;
}

ScoringOptions::Resolved ScoringOptions::resolve_inputs() const {
  Resolved r;
  r.files = infer::prediction_inputs({inputs.begin(), inputs.end()});
  CHORUS_CHECK_AS(IoError, !r.files.empty(), "no audio files among the inputs");
  const ThreadSplit split = split_threads(r.files.size());
  r.workers = split.workers;
  r.threads_per_recording = split.threads_per_recording;
  return r;
}

graph::PrecisionChoice ScoringOptions::resolve_precision() {
  if (!precision.empty()) infer.precision = *core::enum_from_name<graph::Precision>(precision);
  graph::ModelsToRun run;
  if (infer.precision == graph::Precision::automatic) {
    run.calibrated = true;
    // A checkpoint that stores no description (written before they did) counts as having no
    // depthwise convolutions.
    for (const std::string& path : models) {
      const checkpoint::Metadata m = checkpoint::read_metadata(path);
      run.calibrated = run.calibrated && !m.int8.empty();
      run.depthwise =
          run.depthwise || (m.inference && m.inference->backbone.has_depthwise_convolution());
    }
  }
  const graph::PrecisionChoice choice =
      graph::resolve_precision(infer.precision, "infer.precision", run);
  infer.precision = choice.precision;
  return choice;
}

infer::Predictor ScoringOptions::predictor(const infer::CompiledScorer::Fallback& fallback,
                                           int threads_per_recording) const {
  return predictor(infer::CompiledScorer::members(models, infer.precision, fallback),
                   threads_per_recording);
}

infer::Predictor ScoringOptions::predictor(
    std::map<std::string, std::shared_ptr<infer::WindowScorer>> members,
    int threads_per_recording) const {
  infer::PredictorOptions options;
  options.infer = infer;
  options.postprocess = postprocess;
  options.ensemble = ensemble;
  options.threads = threads_per_recording;
  return infer::Predictor(std::move(members), options);
}

}  // namespace chorus::cli
