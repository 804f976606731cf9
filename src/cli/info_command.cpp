// chorus info FILE…: what a recording is (format, duration, rate, channels) and how loud.
// chorus info --model NAME|CKPT: what a network is and costs (cli/model_info.cpp).

#include <fmt/format.h>

#include <string>
#include <vector>

#include "audio/audio_decoder.hpp"
#include "audio/signal_stats.hpp"
#include "cli/commands.hpp"
#include "cli/config_options.hpp"
#include "cli/network_commands.hpp"
#include "core/error.hpp"

namespace chorus::cli {
namespace {

// Peak and RMS over every sample of every channel at the file's own rate, streamed.
audio::SignalStats measure(audio::AudioDecoder& file) {
  const audio::AudioFileInfo& info = file.info();
  constexpr std::int64_t kFrames = 65536;
  std::vector<float> block(static_cast<std::size_t>(kFrames * info.channels));
  audio::LevelMeter meter;
  std::int64_t done = 0;
  while (done < info.frames) {
    const std::int64_t n = file.read(block, std::min(kFrames, info.frames - done));
    CHORUS_CHECK_AS(FormatError, n > 0,
                    "{}: truncated: the header announces {} frames but decoding ends at frame {}",
                    info.path, info.frames, done);
    meter.add({block.data(), static_cast<std::size_t>(n * info.channels)});
    done += n;
  }
  return meter.stats();
}

}  // namespace

std::string describe_audio_file(const std::string& path) {
  const auto file = audio::open_audio(path);
  const audio::AudioFileInfo& info = file->info();
  const audio::SignalStats stats = measure(*file);
  return fmt::format(
      "{}\n"
      "  format    {}, {}\n"
      "  duration  {:.3f} s ({} frames)\n"
      "  rate      {} Hz\n"
      "  channels  {}\n"
      "  peak      {:.2f} dBFS\n"
      "  rms       {:.2f} dBFS\n",
      path, info.format, info.encoding, info.duration_seconds(), info.frames, info.sample_rate,
      info.channels, stats.peak_dbfs(), stats.rms_dbfs());
}

void add_info_command(CLI::App& app, const NetworkCommands& network) {
  struct Options {
    std::vector<std::string> files;
    std::string model;
    core::ConfigSource config;
  };
  auto o = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "info",
      "Describe audio files (format, duration, level) or a model (shapes, parameters, FLOPs)");
  command->add_option("files", o->files, "Audio files");
  command->add_option(
      "--model", o->model,
      "A registry architecture (efficientnet_b0, resnet18, …; an unknown name lists them all) or a "
      "chorus checkpoint");
  add_config_options(*command, o->config, "[model] [audio] [features] [infer] for --model",
                     "features.n_mels=64");
  command->callback([o, &network] {
    CHORUS_CHECK_AS(ConfigError, !o->model.empty() || !o->files.empty(),
                    "chorus info: give audio files or --model");
    if (!o->model.empty()) fmt::print("{}", network.describe_model(o->model, o->config));
    const std::vector<std::string>& files = o->files;
    if (files.empty()) return;
    // Every file is described; a bad one is reported and the command fails at the end, so one
    // broken file among hundreds does not hide the others.
    if (files.size() == 1) {
      fmt::print("{}", describe_audio_file(files.front()));
      return;
    }
    std::size_t failures = 0;
    for (const std::string& path : files) {
      try {
        fmt::print("{}", describe_audio_file(path));
      } catch (const Error& e) {
        std::fflush(stdout);
        fmt::print(stderr, "error: {}\n", e.what());
        ++failures;
      }
    }
    CHORUS_CHECK_AS(FormatError, failures == 0, "{} of {} files could not be read", failures,
                    files.size());
  });
}

}  // namespace chorus::cli
