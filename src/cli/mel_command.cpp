// chorus mel FILE: the log-mel spectrogram of a recording (or a span of it) as a PNG a person
// can read and/or as the raw matrix (.npy, n_mels × frames, float32). With --detections, the
// events `chorus predict` found in the recording are drawn on the PNG.

#include <fmt/format.h>

#include <array>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "audio/audio_decoder.hpp"
#include "audio/waveform.hpp"
#include "cli/commands.hpp"
#include "cli/number_checks.hpp"
#include "cli/pipeline_options.hpp"
#include "core/config_file.hpp"
#include "core/error.hpp"
#include "core/npy.hpp"
#include "core/progress.hpp"
#include "features/feature_extractor.hpp"
#include "features/file_features.hpp"
#include "formats/detections_table.hpp"
#include "plot/spectrogram_image.hpp"

namespace chorus::cli {
namespace {

// Files at least this long (seconds) show a progress display.
constexpr double kProgressSeconds = 600;

// The rows of `table` (a detections.csv of chorus predict) that belong to `audio_file`.
std::vector<plot::LabelledInterval> detections_of_file(const std::string& table,
                                                       const std::string& audio_file) {
  const std::vector<formats::DetectionRow> rows =
      formats::detections_of(formats::read_detections_csv(table), audio_file, table);
  // Not an error: a recording where nothing scored above the threshold has no rows.
  if (rows.empty()) fmt::print(stderr, "warning: {} has no detections of {}\n", table, audio_file);
  std::vector<plot::LabelledInterval> intervals;
  for (const formats::DetectionRow& row : rows)
    intervals.push_back({row.start_seconds, row.end_seconds, row.cls, row.score});
  return intervals;
}

struct MelOptions {
  std::string file;
  std::string png;
  std::string npy;
  std::string detections;
  double start = 0;
  std::optional<double> duration;  // none: to the end
  bool print_config = false;
  PipelineOptions pipeline;
};

void run_mel(MelOptions& o) {
  core::ConfigSections sections;
  o.pipeline.resolve(sections);
  if (o.print_config) fmt::print("{}", sections.to_toml());
  CHORUS_CHECK(!o.png.empty() || !o.npy.empty() || o.print_config,
               "chorus mel: nothing to do: give --png OUT.png and/or --npy OUT.npy");
  CHORUS_CHECK(o.detections.empty() || !o.png.empty(),
               "chorus mel: --detections draws on the picture: give --png OUT.png too");
  // Read before the features are computed, so a malformed table fails fast.
  const std::vector<plot::LabelledInterval> detections =
      o.detections.empty() ? std::vector<plot::LabelledInterval>{}
                           : detections_of_file(o.detections, o.file);
  const bool whole = o.start == 0 && !o.duration;
  const features::FeatureExtractor extractor(o.pipeline.features, o.pipeline.audio.sample_rate);
  features::Spectrogram spec;
  double duration = 0;
  if (whole) {
    // The whole file streams from the decoder into the features, never held as a waveform.
    // Long recordings show progress in seconds of audio.
    const audio::AudioFileInfo info = audio::open_audio(o.file)->info();
    std::optional<core::Progress> progress;
    if (info.duration_seconds() >= kProgressSeconds)
      progress.emplace("mel", static_cast<std::uint64_t>(info.duration_seconds()), "s");
    std::atomic<std::int64_t> samples_done{0};
    const int rate = o.pipeline.audio.sample_rate;
    features::FileFeatures file = features::compute_file_features(
        o.file, o.pipeline.audio, extractor, o.pipeline.threads, [&](std::int64_t samples) {
          if (!progress) return;
          const std::int64_t before = samples_done.fetch_add(samples);
          const std::int64_t seconds = (before + samples) / rate - before / rate;
          if (seconds > 0) progress->advance(static_cast<std::uint64_t>(seconds));
        });
    if (progress) progress->finish();
    spec = std::move(file.features);
    duration = file.duration_seconds();
  } else {
    const audio::Waveform wave =
        audio::load_audio_span(o.file, o.pipeline.audio, o.start, o.duration.value_or(-1));
    spec = extractor.compute(wave.samples, o.pipeline.threads);
    duration = wave.duration_seconds();
  }
  CHORUS_CHECK_AS(FormatError, spec.n_frames > 0, "{}: too short for a single frame", o.file);

  if (!o.npy.empty()) {
    const std::array<std::int64_t, 2> shape{spec.n_bins, spec.n_frames};
    core::write_npy(o.npy, spec.values, shape);
  }
  if (!o.png.empty()) write_mel_png(o.png, spec, extractor, o.file, duration, o.start, detections);
}

}  // namespace

void write_mel_png(const std::string& png, const features::Spectrogram& spec,
                   const features::FeatureExtractor& extractor, const std::string& source,
                   double duration_seconds, double start_seconds,
                   std::span<const plot::LabelledInterval> detections) {
  const features::FeatureConfig& f = extractor.config();
  const int rate = extractor.mel().sample_rate();
  plot::SpectrogramImageOptions image;
  image.start_seconds = start_seconds;
  image.seconds_per_frame = static_cast<double>(f.hop_length) / rate;
  image.bin_hz = extractor.mel().filterbank().centres_hz();
  image.title = fmt::format("{}  ({:.1f} s, {} Hz, {} {} mels, n_fft {}, hop {})",
                            std::filesystem::path(source).filename().string(), duration_seconds,
                            rate, f.n_mels, core::enum_name(f.mel_scale), f.n_fft, f.hop_length);
  image.value_label =
      f.normalize != features::Normalization::none ? std::string(core::enum_name(f.normalize))
      : f.scale == features::FeatureScale::db      ? "dB"
                                                   : std::string(core::enum_name(f.scale));
  image.intervals.assign(detections.begin(), detections.end());
  plot::write_spectrogram_png(png, spec, image);
}

void add_mel_command(CLI::App& app) {
  auto options = std::make_shared<MelOptions>();
  auto* command = app.add_subcommand(
      "mel", "Log-mel spectrogram of a recording as a PNG image and/or a .npy matrix");
  command->add_option("file", options->file, "Audio file")->required();
  command->add_option("--png", options->png,
                      "Write a spectrogram image with time and frequency axes");
  command->add_option("--npy", options->npy,
                      "Write the features as float32 .npy, shape n_mels x frames (dB by default)");
  command->add_option("--detections", options->detections,
                      "Draw the detections of this file from a detections.csv of chorus predict "
                      "on the --png picture");
  command->add_option("--start", options->start, "Start of the span, seconds")
      ->capture_default_str()
      ->check(non_negative_number());
  command
      ->add_option("--duration", options->duration,
                   "Length of the span, seconds (default: to the end)")
      ->check(positive_number());
  command->add_flag("--print-config", options->print_config,
                    "Print the resolved [audio] and [features] configuration");
  options->pipeline.add_to(*command);
  command->callback([options] { run_mel(*options); });
}

}  // namespace chorus::cli
