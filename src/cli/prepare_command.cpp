// chorus prepare DATASET_DIR --cache CACHE_DIR: decodes, resamples and computes the mel power of
// every clip of a dataset in parallel into the feature cache, so training runs skip decoding.
// A second run does no decoding; changed files and changed mel settings are recomputed.

#include <fmt/format.h>

#include <chrono>
#include <memory>

#include "cli/commands.hpp"
#include "cli/pipeline_options.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "data/dataset_dir.hpp"
#include "features/feature_cache.hpp"
#include "features/feature_store.hpp"

namespace chorus::cli {
namespace {

struct PrepareOptions {
  std::string dataset;
  std::string cache;
  bool ram = false;
  PipelineOptions pipeline;
};

void run_prepare(PrepareOptions& o) {
  o.pipeline.resolve();
  const auto start = std::chrono::steady_clock::now();
  const data::DatasetDir dataset = data::DatasetDir::open(o.dataset);
  features::FeatureCache cache(o.cache, o.pipeline.audio, o.pipeline.features);
  const std::size_t n = dataset.audio_files.size();
  core::TerminalProgress progress;
  const auto [computed, frames, failures] =
      cache.ensure_all(dataset.audio_files, o.pipeline.threads, &progress, "prepare");
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double audio_seconds = cache.seconds_of(frames);
  fmt::print("{} files ({:.0f} s of audio): {} computed, {} already cached, {} failed\n", n,
             audio_seconds, computed, n - computed - failures.size(), failures.size());
  fmt::print("{:.2f} s: {:.1f} files/s, {:.0f} audio-seconds/s; cache {}\n", elapsed, n / elapsed,
             audio_seconds / elapsed, cache.directory().string());
  for (const auto& f : failures) fmt::print(stderr, "error: {}\n", f.message);
  CHORUS_CHECK_AS(FormatError, failures.empty(), "{} of {} files could not be prepared",
                  failures.size(), n);
  if (o.ram) {
    const features::FeatureStore store(cache, dataset.audio_files,
                                       features::FeatureStore::Residence::ram);
    fmt::print("all {} spectrograms loaded into RAM: {:.1f} MB\n", store.size(),
               store.resident_bytes() / 1e6);
  }
}

}  // namespace

void add_prepare_command(CLI::App& app) {
  auto options = std::make_shared<PrepareOptions>();
  auto* command = app.add_subcommand(
      "prepare", "Decode and compute the mel spectrograms of a dataset into a feature cache");
  command
      ->add_option("dataset", options->dataset,
                   "Dataset directory (train_metadata.csv and train_audio/)")
      ->required();
  command->add_option("--cache", options->cache, "Feature cache directory")->required();
  command->add_flag("--ram", options->ram,
                    "Then load every spectrogram into RAM, as a training run with --ram does, and "
                    "report the memory it takes");
  options->pipeline.add_to(*command);
  command->callback([options] { run_prepare(*options); });
}

}  // namespace chorus::cli
