#include "train/distributed.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include "core/error.hpp"

namespace chorus::train {

struct Distributed::Group {
  c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
};

namespace {

int parse_int(std::string_view text, const char* what) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  CHORUS_CHECK_AS(ConfigError, ec == std::errc() && end == text.data() + text.size(),
                  "{}: '{}' is not an integer", what, text);
  return value;
}

// Waits for a collective; a rank that died or timed out surfaces here as a c10::Error.
void wait(const c10::intrusive_ptr<c10d::Work>& work) {
  try {
    work->wait();
  } catch (const c10::Error& e) {
    throw Error(fmt::format("distributed training: {}", e.what_without_backtrace()));
  }
}

}  // namespace

void DistributedOptions::set_master(const std::string& address) {
  const auto colon = address.rfind(':');
  CHORUS_CHECK_AS(ConfigError, colon != std::string::npos && colon > 0,
                  "--master '{}': expected HOST:PORT", address);
  master_host = address.substr(0, colon);
  master_port = parse_int(std::string_view(address).substr(colon + 1), "--master port");
}

std::optional<DistributedOptions> DistributedOptions::from_environment() {
  const char* world = std::getenv("WORLD_SIZE");
  if (world == nullptr) return std::nullopt;
  DistributedOptions o;
  o.world_size = parse_int(world, "WORLD_SIZE");
  const char* rank = std::getenv("RANK");
  CHORUS_CHECK_AS(ConfigError, rank != nullptr, "WORLD_SIZE is set but RANK is not");
  o.rank = parse_int(rank, "RANK");
  if (const char* host = std::getenv("MASTER_ADDR")) o.master_host = host;
  if (const char* port = std::getenv("MASTER_PORT")) o.master_port = parse_int(port, "MASTER_PORT");
  return o;
}

void DistributedOptions::validate() const {
  CHORUS_CHECK_AS(ConfigError, world_size >= 1, "--world-size {}: must be ≥ 1", world_size);
  CHORUS_CHECK_AS(ConfigError, rank >= 0 && rank < world_size, "--rank {}: must be in [0, {})",
                  rank, world_size);
  CHORUS_CHECK_AS(ConfigError, master_port > 0 && master_port < 65536,
                  "master port {}: must be in 1…65535", master_port);
}

Distributed::Distributed(const DistributedOptions& options)
    : options_(options), group_(std::make_unique<Group>()) {
  options_.validate();
  try {
    c10d::TCPStoreOptions store_options;
    store_options.port = static_cast<std::uint16_t>(options_.master_port);
    store_options.isServer = options_.rank == 0;
    store_options.numWorkers = static_cast<std::size_t>(options_.world_size);
    store_options.timeout = std::chrono::seconds(options_.timeout_seconds);
    auto store = c10::make_intrusive<c10d::TCPStore>(options_.master_host, store_options);
    auto gloo_options = c10d::ProcessGroupGloo::Options::create();
    gloo_options->timeout = std::chrono::seconds(options_.timeout_seconds);
    gloo_options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    group_->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(store, options_.rank,
                                                               options_.world_size, gloo_options);
  } catch (const c10::Error& e) {
    throw Error(fmt::format("rank {} of {} could not join the group at {}:{}: {}", options_.rank,
                            options_.world_size, options_.master_host, options_.master_port,
                            e.what_without_backtrace()));
  }
}

Distributed::~Distributed() = default;

void Distributed::broadcast_parameters(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  std::vector<at::Tensor> tensors;
  for (auto& p : module.parameters()) tensors.push_back(p.data());
  for (auto& b : module.buffers()) tensors.push_back(b);
  for (auto& t : tensors) {
    std::vector<at::Tensor> one{t};
    wait(group_->gloo->broadcast(one));
  }
}

void Distributed::average_gradients(torch::nn::Module& module) {
  std::vector<at::Tensor> grads;
  for (auto& p : module.parameters())
    if (p.grad().defined()) grads.push_back(p.grad());
  if (grads.empty()) return;
  // One flat buffer: one collective per step instead of one per tensor.
  at::Tensor flat = at::cat(c10::fmap(grads, [](const at::Tensor& g) { return g.reshape(-1); }));
  std::vector<at::Tensor> one{flat};
  wait(group_->gloo->allreduce(one));
  flat.div_(options_.world_size);
  std::int64_t offset = 0;
  for (auto& g : grads) {
    g.copy_(flat.narrow(0, offset, g.numel()).view_as(g));
    offset += g.numel();
  }
}

double Distributed::average(double value) {
  std::vector<at::Tensor> one{at::tensor({value}, at::kDouble)};
  wait(group_->gloo->allreduce(one));
  return one[0].item<double>() / options_.world_size;
}

void Distributed::barrier() { wait(group_->gloo->barrier()); }

}  // namespace chorus::train
