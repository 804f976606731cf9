// chorus demo: the end-to-end job on the embedded synthetic default, as far as chorus goes
// today: synthesise a small dataset of synthetic species, describe a soundscape, render its
// spectrogram, cache the training features, and make cross-validation folds. (Training,
// prediction and evaluation join as they land.)

#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "cli/commands.hpp"
#include "cli/pipeline_options.hpp"
#include "core/parallel.hpp"
#include "data/dataset_dir.hpp"
#include "data/feature_cache.hpp"
#include "data/folds.hpp"
#include "data/synthetic_dataset.hpp"
#include "features/feature_extractor.hpp"
#include "features/file_features.hpp"

namespace chorus::cli {
namespace {

struct DemoOptions {
  std::string out = "out/demo";
  unsigned seed = 7;
  PipelineOptions pipeline;
};

void run_demo(DemoOptions& o) {
  o.pipeline.resolve();
  namespace fs = std::filesystem;
  const fs::path out(o.out), dataset = out / "dataset";
  fs::create_directories(out);

  fmt::print("1. chorus synth --out {} --species 6 --seed {}\n", dataset.string(), o.seed);
  data::SyntheticDatasetOptions synth;
  synth.species = 6;
  synth.seed = o.seed;
  synth.clips_per_species = 6;
  synth.soundscapes = 2;
  synth.sample_rate = o.pipeline.audio.sample_rate;
  const auto summary = data::write_synthetic_dataset(dataset, synth, o.pipeline.threads);
  fmt::print("   {} species, {} clips ({:.0f} s), {} soundscapes ({:.0f} s, {} calls)\n\n",
             summary.species, summary.clips, summary.clip_seconds, summary.soundscapes,
             summary.soundscape_seconds, summary.soundscape_events);

  const fs::path soundscape = dataset / "soundscapes" / "soundscape_00.ogg";
  fmt::print("2. chorus info {}\n{}\n", soundscape.string(), describe_audio_file(soundscape.string()));

  const fs::path png = out / "soundscape_00.png";
  fmt::print("3. chorus mel {} --png {}\n", soundscape.string(), png.string());
  const features::FeatureExtractor extractor(o.pipeline.features, o.pipeline.audio.sample_rate);
  const features::FileFeatures file =
      features::compute_file_features(soundscape, o.pipeline.audio, extractor, o.pipeline.threads);
  write_mel_png(png.string(), file.features, extractor, soundscape.string(), file.duration_seconds(), 0);
  fmt::print("   {} mel bands x {} frames\n\n", file.features.n_bins, file.features.n_frames);

  fmt::print("4. chorus prepare {} --cache {}\n", dataset.string(), (out / "cache").string());
  const data::DatasetDir clips = data::DatasetDir::open(dataset);
  data::FeatureCache cache(out / "cache", o.pipeline.audio, o.pipeline.features);
  core::parallel_for(clips.audio_files.size(), o.pipeline.threads, 1, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) cache.ensure(clips.audio_files[i], 1);
  });
  fmt::print("   {} clips cached in {}\n\n", clips.audio_files.size(), cache.directory().string());

  fmt::print("5. chorus folds {} --k 3\n", clips.metadata_path.string());
  std::vector<std::string> labels;
  for (const auto& r : clips.metadata.records) labels.push_back(r.primary_label);
  const std::vector<int> folds = data::stratified_folds(labels, {.k = 3, .seed = o.seed});
  std::vector<int> sizes(3, 0);
  for (int f : folds) ++sizes[f];
  fmt::print("   {} / {} / {} clips per fold\n\nspectrogram: {}\n", sizes[0], sizes[1], sizes[2],
             png.string());
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto options = std::make_shared<DemoOptions>();
  auto* command = app.add_subcommand("demo", "Run the end-to-end demo on a synthetic dataset");
  command->add_option("--out", options->out, "Output directory")->capture_default_str();
  command->add_option("--seed", options->seed, "Random seed")->capture_default_str();
  options->pipeline.add_to(*command);
  command->callback([options] { run_demo(*options); });
}

}  // namespace chorus::cli
