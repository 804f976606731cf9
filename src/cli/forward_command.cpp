// chorus forward --model M.ckpt --input x.npy --output y.npy [--frames f.npy]: runs a checkpoint
// on a saved input batch (N × C × F × T float32) and writes its logits (N × classes; a SED model's
// clip logits) and, for a SED model, its frame probabilities (N × T' × classes): for tests,
// debugging and comparisons with other implementations.

#include <fmt/format.h>
#include <torch/types.h>

#include <memory>

#include "cli/commands.hpp"
#include "cli/network_commands.hpp"
#include "cli/threads_option.hpp"
#include "core/error.hpp"
#include "core/npy.hpp"
#include "core/parallel.hpp"
#include "models/checkpoint.hpp"
#include "runtime/torch_threads.hpp"

namespace chorus::cli {
namespace {

void write_tensor(const std::string& path, const torch::Tensor& tensor) {
  const torch::Tensor t = tensor.contiguous();
  core::write_npy(path, {t.data_ptr<float>(), static_cast<std::size_t>(t.numel())},
                  t.sizes().vec());
}

}  // namespace

void add_forward_command(CLI::App& app) {
  struct Options {
    std::string model, input, output, frames;
    int threads = 1;
  };
  auto o = std::make_shared<Options>();
  auto* command = add_subcommand(app, NetworkCommand::forward);
  command->add_option("--model", o->model, "Checkpoint")->required()->check(CLI::ExistingFile);
  command->add_option("--input", o->input, "N x C x F x T float32 .npy")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--output", o->output, "Logits .npy (N x classes)")->required();
  command->add_option("--frames", o->frames,
                      "Frame probabilities .npy (N x T' x classes; SED head only)");
  add_threads_option(*command, o->threads, "Threads");
  command->callback([o] {
    runtime::set_torch_threads(core::resolve_threads(o->threads));
    const models::Checkpoint checkpoint = models::Checkpoint::read(o->model);
    const auto net = checkpoint.instantiate();
    core::NpyArray x = core::read_npy(o->input);
    CHORUS_CHECK_AS(FormatError, x.shape.size() == 4 && x.shape[1] == checkpoint.model.in_channels,
                    "{}: expected N x {} x F x T, got {} dimensions", o->input,
                    checkpoint.model.in_channels, x.shape.size());
    CHORUS_CHECK_AS(ModelError, o->frames.empty() || net->is_sed(),
                    "--frames: {} has a '{}' head; only a SED head has frame outputs", o->model,
                    core::enum_name(checkpoint.model.head));
    torch::InferenceMode guard;
    const models::NetworkOutput out = net->forward_output(torch::from_blob(x.data.data(), x.shape));
    write_tensor(o->output, out.logits);
    fmt::print("{}: {} x {} logits\n", o->output, out.logits.size(0), out.logits.size(1));
    if (o->frames.empty()) return;
    write_tensor(o->frames, out.frame_probabilities);
    fmt::print("{}: {} x {} x {} frame probabilities ({} input frames)\n", o->frames,
               out.frame_probabilities.size(0), out.frame_probabilities.size(1),
               out.frame_probabilities.size(2), out.input_frames);
  });
}

}  // namespace chorus::cli
