// chorus calibrate --model M.ckpt --data INPUT… [--windows N] [--out CALIBRATED.ckpt]: measures
// what int8 prediction (--precision int8) needs of a model, the range of every convolution's
// input, on windows of real recordings made exactly as `chorus predict` makes them, and stores it
// in the checkpoint (in place unless --out). The recordings are taken in a fixed shuffled order
// until N windows are seen, so a folder of many species gives a mixed sample; a recording that
// cannot be read is reported and skipped. The report names the convolutions left in float and
// those whose own int8 error is largest.

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <random>

#include "cli/commands.hpp"
#include "cli/config_options.hpp"
#include "cli/network_commands.hpp"
#include "cli/number_checks.hpp"
#include "cli/threads_option.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/wording.hpp"
#include "infer/network_scorer.hpp"
#include "infer/prediction_run.hpp"
#include "infer/predictor.hpp"
#include "runtime/torch_threads.hpp"

namespace chorus::cli {
namespace {

struct CalibrateOptions {
  std::string model;
  std::vector<std::string> data;
  std::string out;  // empty: the model itself
  int windows = 512;
  int threads = 1;
  core::ConfigSource config;
};

void run_calibrate(const CalibrateOptions& o) {
  infer::InferConfig infer;
  infer::PostprocessConfig postprocess;
  core::ConfigSections sections;
  sections.bind(infer).bind(postprocess);
  sections.load(o.config);

  models::Checkpoint checkpoint = models::Checkpoint::read(o.model);
  std::vector<std::filesystem::path> files =
      infer::prediction_inputs({o.data.begin(), o.data.end()});
  CHORUS_CHECK_AS(IoError, !files.empty(), "no audio files among the --data inputs");
  // A fixed order that mixes folders and classes, the same on every run.
  std::shuffle(files.begin(), files.end(), std::mt19937(20261205));

  const int threads = core::resolve_threads(o.threads);
  runtime::set_torch_threads(threads);
  const auto scorer = infer::NetworkScorer::calibrating(checkpoint);
  const runtime::Int8Calibrator& calibrator = scorer->calibrator();
  const infer::Predictor predictor(
      {{"model", scorer}}, {.infer = infer, .postprocess = postprocess, .threads = threads});
  std::size_t used = 0, skipped = 0;
  for (const auto& file : files) {
    if (calibrator.windows() >= o.windows) break;
    try {
      static_cast<void>(predictor.predict(file));
      ++used;
    } catch (const ConfigError&) {
      throw;  // a setting, not this recording: every other one would fail alike
    } catch (const Error& e) {
      ++skipped;
      fmt::print(stderr, "skipped {}: {}\n", file.string(), e.what());
    }
  }
  CHORUS_CHECK_AS(FormatError, calibrator.windows() > 0,
                  "no window to calibrate on: none of {} could be read",
                  core::counted(files.size(), "recording"));

  checkpoint.int8 = calibrator.result();
  const graph::Int8Calibration& c = checkpoint.int8;
  const std::string out = o.out.empty() ? o.model : o.out;
  checkpoint.write(out);  // atomically: a failed write leaves the file as it was

  const auto left = [&](graph::Int8Fallback why) {
    return std::count_if(c.convolutions.begin(), c.convolutions.end(),
                         [&](const auto& conv) { return conv.fallback == why; });
  };
  fmt::print("calibrated int8 on {} from {}{}\n", core::counted(c.windows, "window"),
             core::counted(used, "recording"),
             skipped > 0 ? fmt::format(" ({} skipped)", skipped) : "");
  fmt::print("{} of {} convolutions in int8; float: the first (it reads the spectrogram){}\n",
             c.quantized(), c.convolutions.size(),
             left(graph::Int8Fallback::one_by_one) > 0
                 ? fmt::format(" and {} on 1×1 inputs (squeeze-excitation)",
                               left(graph::Int8Fallback::one_by_one))
                 : "");
  if (c.quantized() > 0)
    fmt::print("largest own int8 error (RMS, of the layer's output; weights on ±{} levels{}): {}\n",
               c.weight_levels,
               c.weight_levels < 127 ? ", as this CPU without VNNI takes them" : "",
               c.largest_errors(3));
  fmt::print("wrote {}; predict with --precision int8\n", out);
}

}  // namespace

void add_calibrate_command(CLI::App& app) {
  auto o = std::make_shared<CalibrateOptions>();
  auto* command = add_subcommand(app, NetworkCommand::calibrate);
  command->add_option("--model", o->model, "Checkpoint to calibrate")
      ->required()
      ->check(CLI::ExistingFile);
  command
      ->add_option("--data", o->data,
                   "Audio files and folders like those the model will score (a sample of its "
                   "training recordings will do); repeat for more")
      ->required();
  command
      ->add_option("--windows", o->windows,
                   "Windows to calibrate on (whole recordings are taken until this many are seen)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  command->add_option("--out", o->out,
                      "Write the calibrated checkpoint here (default: update --model in place)");
  add_threads_option(*command, o->threads, "Threads (0 = all cores)");
  add_config_options(*command, o->config, "[infer]", "infer.context_seconds=10");
  command->callback([o] { run_calibrate(*o); });
}

}  // namespace chorus::cli
