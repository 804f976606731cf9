// Forward throughput of the registry networks on log-mel windows: the compiled network
// (runtime/compiled_network: oneDNN graphs) — the path `chorus predict` runs — or, with
// --engine torch, LibTorch's eager forward of the optimised model (runtime/inference_optimizer).
// bench/run_models.sh runs it alternately with its peer, bench/peers/torchvision_models.py, on
// the same weights and inputs.
//   chorus_bench_models --arch A --weights W.safetensors --out DIR [--threads T] [--engine
//   compiled|torch]
//       [--graph-batch G] [--batches 1,16,64] [--seconds S] [--no-fold] [--no-fast-silu]
//       [--no-channels-last]
//       [--profile TRACE.json]
// W is a torchvision state dict (scripts/export_torchvision.py); the 1-channel stem is its first
// convolution summed over RGB (models::load_pretrained). For each batch B it writes DIR/x_B.npy
// (seeded input [B, 1, 128, 641]) and DIR/y_B.npy (logits) for the peer to check, and prints one
// line: windows/s (best of timed passes over at least S seconds), MACs per window, and the
// fraction of the machine's peak: a 2048² sgemm by oneDNN on the same T threads, measured first.
// --graph-batch: windows per compiled graph pass (CompiledNetwork's graph_batch, default 1).
// The --no-* switches and --profile (a Chrome trace of one more pass per batch from LibTorch's
// profiler) apply to --engine torch.

#include <ATen/Parallel.h>
#include <fmt/format.h>
#include <oneapi/dnnl/dnnl.h>
#include <torch/csrc/autograd/profiler_legacy.h>
#include <torch/types.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "core/npy.hpp"
#include "models/flop_counter.hpp"
#include "models/network.hpp"
#include "models/pretrained_weights.hpp"
#include "models/safetensors.hpp"
#include "runtime/compiled_network.hpp"
#include "runtime/inference_optimizer.hpp"

namespace {

constexpr int kMels = 128, kFrames = 641;  // a 10 s window at the default features

// Best seconds per call of `run`, after one warm-up call, over at least `seconds` (≥ 2 calls).
double best_seconds(const std::function<void()>& run, double seconds) {
  using Clock = std::chrono::steady_clock;
  run();
  double best = 1e30, spent = 0;
  for (int calls = 0; calls < 2 || spent < seconds; ++calls) {
    const auto start = Clock::now();
    run();
    const double t = std::chrono::duration<double>(Clock::now() - start).count();
    best = std::min(best, t);
    spent += t;
  }
  return best;
}

// oneDNN's own sgemm on the calling thread's OpenMP threads (what at::set_num_threads set): the
// arithmetic peak its convolutions can approach on this machine.
double sgemm_peak_gflops() {
  constexpr dnnl_dim_t n = 2048;
  std::vector<float> a(n * n, 1.0f), b(n * n, 0.5f), c(n * n);
  const auto sgemm = [&] {
    dnnl_sgemm('N', 'N', n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c.data(), n);
  };
  return 2.0 * n * n * n / best_seconds(sgemm, 0.5) / 1e9;
}

std::vector<int> parse_list(const std::string& text) {
  std::vector<int> values;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) values.push_back(std::atoi(item.c_str()));
  return values;
}

}  // namespace

int main(int argc, char** argv) {
  std::string arch, weights, out, profile, batches = "1,16,64", engine = "compiled";
  int threads = 1, graph_batch = 1;
  double seconds = 1.5;
  chorus::runtime::InferenceOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--arch" && has_value)
      arch = argv[++i];
    else if (arg == "--weights" && has_value)
      weights = argv[++i];
    else if (arg == "--out" && has_value)
      out = argv[++i];
    else if (arg == "--threads" && has_value)
      threads = std::atoi(argv[++i]);
    else if (arg == "--batches" && has_value)
      batches = argv[++i];
    else if (arg == "--seconds" && has_value)
      seconds = std::atof(argv[++i]);
    else if (arg == "--profile" && has_value)
      profile = argv[++i];
    else if (arg == "--engine" && has_value)
      engine = argv[++i];
    else if (arg == "--graph-batch" && has_value)
      graph_batch = std::atoi(argv[++i]);
    else if (arg == "--no-fold")
      options.fold_batch_norms = false;
    else if (arg == "--no-fast-silu")
      options.fast_silu = false;
    else if (arg == "--no-channels-last")
      options.channels_last = false;
    else
      arch.clear(), i = argc;
  }
  if (arch.empty() || weights.empty() || out.empty() ||
      (engine != "compiled" && engine != "torch")) {
    fmt::print(
        stderr,
        "usage: chorus_bench_models --arch A --weights W.safetensors --out DIR [--threads T] "
        "[--engine compiled|torch] [--graph-batch G] [--batches 1,16,64] [--seconds S] [--no-fold] "
        "[--no-fast-silu] [--no-channels-last] [--profile TRACE.json]\n");
    return 2;
  }
  try {
    at::set_num_threads(threads);
    std::filesystem::create_directories(out);
    const double peak = sgemm_peak_gflops();
    const chorus::models::ModelConfig config{.arch = arch, .in_channels = 1, .num_classes = 1000};
    const auto model = chorus::models::create_network(config);
    chorus::models::load_pretrained(model->backbone(), config,
                                    chorus::models::read_safetensors(weights).tensors);
    const bool compiled = engine == "compiled";
    if (compiled)
      options = {.fast_silu = false, .channels_last = false};  // weights in LibTorch's layout
    const chorus::runtime::InferenceReport report =
        chorus::runtime::optimize_for_inference(*model, options);
    chorus::runtime::CompiledNetwork compiled_network(model, graph_batch);
    torch::InferenceMode guard;
    const double macs = chorus::models::count_macs([&] {
                          model->forward(torch::zeros({1, 1, kMels, kFrames}));
                        }).total;
    fmt::print(
        "# {} threads {} engine {}: {}; {:.3f} GMAC per window; peak for {} threads {:.1f} "
        "GFLOP/s\n",
        arch, threads, compiled ? fmt::format("compiled (graph batch {})", graph_batch) : "torch",
        report.describe(), macs / 1e9, threads, peak);
    for (const int batch : parse_list(batches)) {
      torch::manual_seed(batch);
      const torch::Tensor x = torch::randn({batch, 1, kMels, kFrames});
      const torch::Tensor input = compiled ? x : chorus::runtime::inference_input(x, options);
      torch::Tensor y;
      const double t = best_seconds(
          [&] { y = compiled ? compiled_network.forward(input, threads) : model->forward(input); },
          seconds);
      y = y.contiguous();
      if (!profile.empty() && !compiled) {
        torch::autograd::profiler::RecordProfile trace(profile);
        model->forward(input);
      }
      const std::string suffix = "_" + std::to_string(batch) + ".npy";
      chorus::core::write_npy(std::filesystem::path(out) / ("x" + suffix),
                              {x.data_ptr<float>(), static_cast<std::size_t>(x.numel())},
                              std::vector<std::int64_t>(x.sizes().begin(), x.sizes().end()));
      chorus::core::write_npy(std::filesystem::path(out) / ("y" + suffix),
                              {y.data_ptr<float>(), static_cast<std::size_t>(y.numel())},
                              std::vector<std::int64_t>(y.sizes().begin(), y.sizes().end()));
      const double rate = batch / t;
      fmt::print(
          "chorus {} threads {} batch {} windows_per_s {:.2f} gflop_per_s {:.1f} peak_fraction "
          "{:.2f}\n",
          arch, threads, batch, rate, rate * 2 * macs / 1e9, rate * 2 * macs / 1e9 / peak);
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
  return 0;
}
