// chorus demo: the end-to-end job on the embedded synthetic default. At this stage: synthesise a
// clip of four call types over pink noise, describe it, and render its log-mel spectrogram.

#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <random>

#include "audio/audio_writer.hpp"
#include "cli/commands.hpp"
#include "cli/pipeline_options.hpp"
#include "data/call_synth.hpp"
#include "features/feature_extractor.hpp"
#include "features/file_features.hpp"

namespace chorus::cli {
namespace {

struct DemoOptions {
  std::string out = "out/demo";
  unsigned seed = 7;
  PipelineOptions pipeline;
};

// 20 s: a sweeping songbird, a trilling one, a croaking frog-like stack and a clicking insect,
// each calling a few times at its own rhythm over a pink-noise background at about 20 dB SNR.
std::vector<float> synthesise_clip(int sample_rate, unsigned seed) {
  constexpr double kSeconds = 20.0;
  std::vector<float> clip(static_cast<std::size_t>(kSeconds * sample_rate), 0.0f);
  std::mt19937 rng(seed);
  data::add_pink_noise(clip, 0.01, rng);
  std::uniform_real_distribution<double> jitter(-0.15, 0.15);
  const data::CallParams calls[] = {
      {data::CallShape::fm_sweep, 2500, 6500, 0.45, 0, 0},
      {data::CallShape::trill, 5200, 4200, 1.2, 14, 0},
      {data::CallShape::harmonic_stack, 450, 380, 0.35, 0, 6},
      {data::CallShape::click_train, 9000, 9000, 2.0, 40, 0},
  };
  const double first_onset[] = {1.0, 3.0, 0.5, 6.0};
  const double period[] = {4.0, 5.5, 2.5, 7.0};
  for (std::size_t s = 0; s < std::size(calls); ++s)
    for (double t = first_onset[s]; t < kSeconds - calls[s].duration; t += period[s])
      data::add_call(clip, sample_rate, t + jitter(rng), calls[s], 0.25);
  return clip;
}

void run_demo(DemoOptions& o) {
  o.pipeline.resolve();
  std::filesystem::create_directories(o.out);
  const std::filesystem::path clip_path = std::filesystem::path(o.out) / "demo_clip.ogg";
  const std::filesystem::path png_path = std::filesystem::path(o.out) / "demo_clip.png";

  fmt::print("1. synthesising a 20 s clip with four call types over pink noise\n");
  audio::write_audio(clip_path, synthesise_clip(o.pipeline.audio.sample_rate, o.seed),
                     o.pipeline.audio.sample_rate);

  fmt::print("2. chorus info {}\n{}", clip_path.string(), describe_audio_file(clip_path.string()));

  fmt::print("3. chorus mel {} --png {}\n", clip_path.string(), png_path.string());
  const features::FeatureExtractor extractor(o.pipeline.features, o.pipeline.audio.sample_rate);
  const features::FileFeatures file =
      features::compute_file_features(clip_path, o.pipeline.audio, extractor, o.pipeline.threads);
  const features::Spectrogram& spec = file.features;
  write_mel_png(png_path.string(), spec, extractor, clip_path.string(), file.duration_seconds(), 0);
  fmt::print("   {} mel bands x {} frames; image {}\n", spec.n_bins, spec.n_frames,
             png_path.string());
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto options = std::make_shared<DemoOptions>();
  auto* command = app.add_subcommand("demo", "Run the end-to-end demo on a synthetic recording");
  command->add_option("--out", options->out, "Output directory")->capture_default_str();
  command->add_option("--seed", options->seed, "Random seed")->capture_default_str();
  options->pipeline.add_to(*command);
  command->callback([options] { run_demo(*options); });
}

}  // namespace chorus::cli
