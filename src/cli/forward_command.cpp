// chorus forward --model M.ckpt --input x.npy --output y.npy: runs a checkpoint on a saved input
// batch (N × C × F × T float32) and writes its logits (N × classes): for tests, debugging and
// comparisons with other implementations.

#include <ATen/Parallel.h>
#include <fmt/format.h>
#include <torch/types.h>

#include <array>
#include <memory>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/npy.hpp"
#include "core/parallel.hpp"
#include "models/checkpoint.hpp"

namespace chorus::cli {

void add_forward_command(CLI::App& app) {
  struct Options {
    std::string model, input, output;
    int threads = 1;
  };
  auto o = std::make_shared<Options>();
  auto* command = app.add_subcommand("forward", "Run a checkpoint on an input batch saved as .npy");
  command->add_option("--model", o->model, "Checkpoint")->required()->check(CLI::ExistingFile);
  command->add_option("--input", o->input, "N x C x F x T float32 .npy")->required()->check(CLI::ExistingFile);
  command->add_option("--output", o->output, "Logits .npy (N x classes)")->required();
  command->add_option("--threads", o->threads, "Threads")->capture_default_str();
  command->callback([o] {
    at::set_num_threads(core::resolve_threads(o->threads));
    const models::Checkpoint checkpoint = models::Checkpoint::read(o->model);
    const auto net = checkpoint.instantiate();
    core::NpyArray x = core::read_npy(o->input);
    CHORUS_CHECK_AS(FormatError, x.shape.size() == 4 && x.shape[1] == checkpoint.model.in_channels,
                    "{}: expected N x {} x F x T, got {} dimensions", o->input, checkpoint.model.in_channels,
                    x.shape.size());
    torch::InferenceMode guard;
    const torch::Tensor out = net->forward(torch::from_blob(x.data.data(), x.shape)).contiguous();
    const std::array<std::int64_t, 2> shape{out.size(0), out.size(1)};
    core::write_npy(o->output, {out.data_ptr<float>(), static_cast<std::size_t>(out.numel())}, shape);
    fmt::print("{}: {} x {} logits\n", o->output, shape[0], shape[1]);
  });
}

}  // namespace chorus::cli
