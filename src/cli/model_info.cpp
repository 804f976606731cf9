// chorus info --model NAME|CKPT: what a network is and what running it costs per window —
// architecture, classifier, parameters, input and output shapes, and the multiply-accumulates of
// one forward pass, counted from the operators it really dispatches (models/flop_counter).

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/nn/modules/linear.h>
#include <torch/types.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <optional>

#include "cli/commands.hpp"
#include "core/config_file.hpp"
#include "core/error.hpp"
#include "features/mel_spectrogram.hpp"
#include "graph/int8_plan.hpp"
#include "infer/infer_config.hpp"
#include "models/checkpoint.hpp"
#include "models/flop_counter.hpp"
#include "models/model_registry.hpp"

namespace chorus::cli {
namespace {

// What the network is built from and fed with.
struct ModelSetup {
  models::ModelConfig model;
  audio::AudioConfig audio;
  features::FeatureConfig features;
  infer::InferConfig infer;
  std::shared_ptr<models::NetworkImpl> net;
  std::string source;  // "registry" or the checkpoint's path
  // The checkpoint's int8 calibration (empty when not calibrated); none for a registry model.
  std::optional<graph::Int8Calibration> int8;
};

ModelSetup resolve(const std::string& name_or_checkpoint, const core::ConfigSource& config) {
  ModelSetup s;
  core::ConfigSections sections;
  sections.bind(s.infer);
  const bool checkpoint = std::filesystem::is_regular_file(name_or_checkpoint);
  if (!checkpoint) {
    // A path that is not there is a missing file, not an architecture.
    CHORUS_CHECK_AS(
        IoError,
        name_or_checkpoint.find('/') == std::string::npos && !name_or_checkpoint.ends_with(".ckpt"),
        "{}: no such file", name_or_checkpoint);
    s.model.arch = name_or_checkpoint;
    sections.bind(s.model).bind(s.audio).bind(s.features);
  }
  sections.load(config);
  s.infer.validate();
  if (checkpoint) {
    const models::Checkpoint c = models::Checkpoint::read(name_or_checkpoint);
    s.model = c.model;
    s.audio = c.audio;
    s.features = c.features;
    s.net = c.instantiate();
    s.source = name_or_checkpoint;
    s.int8 = c.int8;
  } else {
    s.audio.validate();
    s.features.validate(s.audio.sample_rate);
    s.net = models::create_network(s.model);  // validates [model]; an unknown arch lists the known
    s.source = "registry";
  }
  s.net->eval();
  return s;
}

// The linear head's layer by its torchvision name; the GeM and SED heads' by theirs.
std::string describe_head(const models::ModelEntry& entry, const models::ModelConfig& config,
                          torch::nn::Module& net) {
  if (config.head == models::HeadKind::sed) return "SED attention head (head.fc1, head.att_block)";
  const std::string name =
      config.head == models::HeadKind::gem
          ? std::string("head.fc")
          : entry.classifier.substr(0, entry.classifier.size() - 1);  // "fc." → "fc"
  for (const auto& item : net.named_modules())
    if (item.key() == name)
      if (const auto* linear = dynamic_cast<const torch::nn::LinearImpl*>(item.value().get()))
        return fmt::format("{}: Linear {} → {}", name, linear->options.in_features(),
                           linear->options.out_features());
  return name;
}

// Whether --precision int8 can run the checkpoint, and what its calibration measured.
std::string describe_int8(const ModelSetup& s) {
  if (!s.int8) return "not calibrated";
  const graph::Int8Calibration& int8 = *s.int8;
  if (int8.empty())
    return fmt::format("not calibrated (chorus calibrate --model {} --data DIR)", s.source);
  std::string text = fmt::format("calibrated on {} windows: {} of {} convolutions in int8",
                                 int8.windows, int8.quantized(), int8.convolutions.size());
  const int here = graph::weight_levels();
  if (const std::string largest = int8.largest_errors(1); !largest.empty())
    text += fmt::format(
        "; largest own error {} (weights on ±{} levels{})", largest, int8.weight_levels,
        here == int8.weight_levels ? ""
                                   : fmt::format("; this CPU takes ±{}: {} errors here", here,
                                                 here < int8.weight_levels ? "larger" : "smaller"));
  return text;
}

}  // namespace

std::string describe_model(const std::string& name_or_checkpoint,
                           const core::ConfigSource& config) {
  const ModelSetup s = resolve(name_or_checkpoint, config);
  const models::ModelEntry& entry = models::find_model(s.model.arch);
  double total = 0, trainable = 0;
  for (const torch::Tensor& p : s.net->parameters()) {
    total += static_cast<double>(p.numel());
    if (p.requires_grad()) trainable += static_cast<double>(p.numel());
  }
  const double window_seconds =
      s.infer.mode == infer::InferMode::sliding ? s.infer.window_seconds : s.infer.context_seconds;
  const auto samples =
      static_cast<std::int64_t>(std::llround(window_seconds * s.audio.sample_rate));
  const std::int64_t frames =
      features::MelSpectrogram(s.features, s.audio.sample_rate).frame_count(samples);
  const std::array<std::int64_t, 4> input{1, s.model.in_channels, s.features.n_mels, frames};

  torch::InferenceMode guard;
  const torch::Tensor x = torch::zeros(input);
  torch::Tensor y;
  const models::MacCount macs = models::count_macs([&] { y = s.net->forward(x); });
  return fmt::format(
      "{} ({}, {})\n"
      "  head        {}\n"
      "  parameters  {:.3f} M ({:.3f} M trainable)\n"
      "  input       [{}] (a {} s window at {} Hz: {} mels × {} frames)\n"
      "  output      [{}]\n"
      "  compute     {:.3f} GMAC per window = {:.3f} GFLOP (1 multiply-accumulate = 2 FLOP; "
      "convolutions and matrix products, as counted from the forward pass)\n"
      "  int8        {}\n",
      s.model.arch, entry.reference, s.source, describe_head(entry, s.model, *s.net), total / 1e6,
      trainable / 1e6, fmt::join(input, ", "), window_seconds, s.audio.sample_rate,
      s.features.n_mels, frames, fmt::join(y.sizes(), ", "), macs.total / 1e9, macs.flops() / 1e9,
      describe_int8(s));
}

}  // namespace chorus::cli
