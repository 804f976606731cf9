#pragma once
// Each subcommand lives in its own file and adds itself to the application here; its callback
// runs after parsing. Errors propagate as chorus::Error to run_command_line(). import, forward,
// train, predict, config and describe_model need LibTorch and are linked into chorus-torch only
// (network_commands.hpp).

#include <CLI/CLI.hpp>
#include <span>
#include <string>
#include <vector>

#include "core/config_file.hpp"
#include "features/feature_extractor.hpp"
#include "infer/compiled_scorer.hpp"
#include "plot/interval_overlay.hpp"

namespace chorus::cli {

class NetworkCommands;

void add_info_command(CLI::App& app, const NetworkCommands& network);
void add_mel_command(CLI::App& app);
void add_demo_command(CLI::App& app);
void add_config_command(CLI::App& app);
void add_prepare_command(CLI::App& app);
void add_folds_command(CLI::App& app);
void add_clean_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_merge_command(CLI::App& app);
void add_segments_command(CLI::App& app);
void add_import_command(CLI::App& app);
void add_forward_command(CLI::App& app);
// `fallback` scores a checkpoint written before chorus stored its description (the program
// without LibTorch hands the command over to chorus-torch there).
void add_predict_command(CLI::App& app, infer::CompiledScorer::Fallback fallback);
void add_pseudo_command(CLI::App& app);
void add_selftrain_command(CLI::App& app);
void add_calibrate_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_synth_command(CLI::App& app);

// Renders features of `source` (computed by `extractor`) as a readable PNG (shared with the demo),
// with `detections` (times in the recording) drawn over it.
void write_mel_png(const std::string& png, const features::Spectrogram& spec,
                   const features::FeatureExtractor& extractor, const std::string& source,
                   double duration_seconds, double start_seconds,
                   std::span<const plot::LabelledInterval> detections = {});

// What `chorus info` prints for one file (shared with the demo).
std::string describe_audio_file(const std::string& path);

// What `chorus info --model` prints: a registry architecture built from the configuration
// ([model], [audio], [features], [infer]), or a chorus checkpoint (its stored [model], [audio],
// [features]; [infer] from the configuration).
std::string describe_model(const std::string& name_or_checkpoint, const core::ConfigSource& config);

}  // namespace chorus::cli
