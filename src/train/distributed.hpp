#pragma once
// Multi-process data parallel training over TCP, with LibTorch's c10d ProcessGroupGloo (what
// PyTorch's DistributedDataParallel uses on CPUs): every rank starts from rank 0's weights, trains
// on its shard of each epoch's batches, and averages its gradients with the others' before each
// optimiser step, so N ranks with batch B take the steps one process takes with batch N·B
// (except BatchNorm, whose statistics each rank computes over its own B rows, as DDP without
// SyncBatchNorm does). Rank 0 hosts the rendezvous store and does validation and checkpoints.

#include <torch/nn/module.h>

#include <memory>
#include <optional>
#include <string>

namespace chorus::train {

struct DistributedOptions {
  int world_size = 1;
  int rank = 0;
  std::string master_host = "127.0.0.1";
  int master_port = 29500;
  int timeout_seconds = 600;  // how long a rank waits for the others

  // "HOST:PORT" into master_host and master_port (ConfigError when malformed).
  void set_master(const std::string& address);
  // torchrun's variables WORLD_SIZE, RANK, MASTER_ADDR, MASTER_PORT, when WORLD_SIZE is set.
  static std::optional<DistributedOptions> from_environment();
  void validate() const;
};

class Distributed {
 public:
  // Blocks until every rank has joined (or the timeout: an Error naming the master).
  explicit Distributed(const DistributedOptions& options);
  ~Distributed();

  int rank() const { return options_.rank; }
  int world_size() const { return options_.world_size; }

  void broadcast_parameters(torch::nn::Module& module);  // rank 0's parameters and buffers
  void average_gradients(torch::nn::Module& module);
  double average(double value);  // the mean of one number over the ranks
  void barrier();

 private:
  struct Group;
  DistributedOptions options_;
  std::unique_ptr<Group> group_;
};

}  // namespace chorus::train
