// Data-parallel plumbing over c10d ProcessGroupGloo on loopback: two ranks (threads of this test,
// each with its own process group) start from rank 0's weights, average their gradients and
// their numbers exactly.

#include "train/distributed.hpp"

#include <gtest/gtest.h>
#include <torch/nn/modules/linear.h>
#include <torch/types.h>
#include <unistd.h>

#include <future>

#include "core/error.hpp"

namespace chorus {
namespace {

// A port per test process (ctest runs tests in parallel): from the process id.
int test_port() { return 20000 + static_cast<int>(::getpid() % 20000); }

train::DistributedOptions options(int rank, int port) {
  train::DistributedOptions o;
  o.world_size = 2;
  o.rank = rank;
  o.master_host = "127.0.0.1";
  o.master_port = port;
  o.timeout_seconds = 60;
  return o;
}

torch::Tensor initial_weight(int rank) {
  return torch::arange(6, torch::kFloat32).view({2, 3}) + 10.0 * rank;
}

TEST(Distributed, BroadcastsRankZeroAndAveragesGradients) {
  const int port = test_port();
  const auto rank_body = [port](int rank) {
    train::Distributed group(options(rank, port));
    // Different initial weights on each rank, set explicitly: the two ranks are threads of one
    // process, so LibTorch's global generator would be shared between them.
    torch::nn::Linear layer(3, 2);
    {
      torch::NoGradGuard no_grad;
      layer->weight.copy_(initial_weight(rank));
    }
    group.broadcast_parameters(*layer);
    // Each rank's gradient: rank + 1 everywhere, so the mean is 1.5.
    for (auto& p : layer->parameters()) p.mutable_grad() = torch::full_like(p, rank + 1.0);
    group.average_gradients(*layer);
    const double mean_loss = group.average(rank == 0 ? 2.0 : 4.0);
    group.barrier();
    return std::make_tuple(layer->weight.detach().clone(), layer->weight.grad().clone(),
                           layer->bias.grad().clone(), mean_loss);
  };
  auto rank1 = std::async(std::launch::async, rank_body, 1);
  const auto [w0, g0, b0, loss0] = rank_body(0);
  const auto [w1, g1, b1, loss1] = rank1.get();
  EXPECT_TRUE(torch::equal(w0, w1));  // rank 1 took rank 0's weights
  EXPECT_TRUE(torch::equal(w0, initial_weight(0)));
  EXPECT_TRUE(torch::allclose(g0, torch::full({2, 3}, 1.5)));
  EXPECT_TRUE(torch::equal(g0, g1));
  EXPECT_TRUE(torch::allclose(b1, torch::full({2}, 1.5)));
  EXPECT_DOUBLE_EQ(loss0, 3.0);
  EXPECT_DOUBLE_EQ(loss1, 3.0);
}

TEST(Distributed, ReadsTorchrunEnvironmentAndRejectsBadOptions) {
  ::setenv("WORLD_SIZE", "4", 1);
  ::setenv("RANK", "2", 1);
  ::setenv("MASTER_ADDR", "node7", 1);
  ::setenv("MASTER_PORT", "29400", 1);
  const auto o = train::DistributedOptions::from_environment();
  ::unsetenv("WORLD_SIZE");
  ::unsetenv("RANK");
  ::unsetenv("MASTER_ADDR");
  ::unsetenv("MASTER_PORT");
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->world_size, 4);
  EXPECT_EQ(o->rank, 2);
  EXPECT_EQ(o->master_host, "node7");
  EXPECT_EQ(o->master_port, 29400);
  EXPECT_FALSE(train::DistributedOptions::from_environment().has_value());

  train::DistributedOptions bad;
  EXPECT_THROW(bad.set_master("no-port"), ConfigError);
  bad.world_size = 2;
  bad.rank = 2;
  EXPECT_THROW(bad.validate(), ConfigError);
}

}  // namespace
}  // namespace chorus
