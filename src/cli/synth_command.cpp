// chorus synth --out DIR: a labelled dataset of synthetic species in BirdCLEF layout (clips,
// soundscapes, metadata, taxonomy, 5-second soundscape labels and a table of every call).

#include <fmt/format.h>

#include <chrono>
#include <memory>

#include "cli/commands.hpp"
#include "cli/pipeline_options.hpp"
#include "core/progress.hpp"
#include "synth/synthetic_dataset.hpp"

namespace chorus::cli {
namespace {

struct SynthOptions {
  std::string out;
  synth::SyntheticDatasetOptions dataset;
  PipelineOptions pipeline;
};

void run_synth(SynthOptions& o) {
  o.pipeline.resolve();
  o.dataset.sample_rate = o.pipeline.audio.sample_rate;
  const auto start = std::chrono::steady_clock::now();
  core::TerminalProgress progress;
  const synth::SyntheticDatasetSummary s =
      synth::write_synthetic_dataset(o.out, o.dataset, o.pipeline.threads, &progress);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print(
      "{}: {} species, {} clips ({:.1f} min), {} soundscapes ({:.1f} min, {} calls) "
      "in {:.1f} s\n",
      o.out, s.species, s.clips, s.clip_seconds / 60, s.soundscapes, s.soundscape_seconds / 60,
      s.soundscape_events, elapsed);
}

}  // namespace

void add_synth_command(CLI::App& app) {
  auto options = std::make_shared<SynthOptions>();
  auto* command = app.add_subcommand(
      "synth", "Generate a labelled dataset of synthetic species in BirdCLEF layout");
  command->add_option("--out", options->out, "Output directory (created if needed)")->required();
  command->add_option("--species", options->dataset.species, "Number of species (1-999)")
      ->capture_default_str();
  command
      ->add_option("--seed", options->dataset.seed,
                   "Random seed: the same seed gives the same dataset, sample for sample")
      ->capture_default_str();
  command
      ->add_option("--clips-per-species", options->dataset.clips_per_species,
                   "Training clips per species (3-20 s each)")
      ->capture_default_str();
  command
      ->add_option("--soundscapes", options->dataset.soundscapes,
                   "Soundscapes (60 s each, labelled per 5 s window)")
      ->capture_default_str();
  command
      ->add_option("--backgrounds", options->dataset.backgrounds,
                   "Background recordings without calls (backgrounds/), for augment.background_dir")
      ->capture_default_str();
  options->pipeline.add_to(*command);
  command->callback([options] { run_synth(*options); });
}

}  // namespace chorus::cli
