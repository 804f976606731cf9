// A checkpoint stores its network's description for inference, and `chorus predict`'s scorer
// compiled from it on the checkpoint's weights (read without LibTorch, or as LibTorch reads them;
// no LibTorch network built) scores windows as LibTorch's network does, its frame outputs
// included; a checkpoint written before
// chorus stored the description is described on the spot, and a description that names a
// weight the file lacks is refused naming the file and the weight.

#include <gtest/gtest.h>
#include <torch/types.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "infer/checkpoint_scorers.hpp"
#include "models/batch_norm_statistics.hpp"
#include "models/checkpoint.hpp"
#include "models/inference_description.hpp"
#include "models/state_dict.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

using testing::relative_difference;

constexpr double kTolerance = 1e-4;  // as tests/runtime/compiled_network_test

struct Scores {
  torch::Tensor logits, frames;
};

Scores scores(infer::WindowScorer& scorer, const torch::Tensor& windows) {
  const int n = static_cast<int>(windows.size(0)), mels = static_cast<int>(windows.size(1)),
            frames = static_cast<int>(windows.size(2));
  const std::span<const float> input(windows.data_ptr<float>(),
                                     static_cast<std::size_t>(windows.numel()));
  Scores s{torch::empty({n, static_cast<std::int64_t>(scorer.classes().size())}), {}};
  scorer.score(input, static_cast<std::size_t>(n), mels, frames,
               {s.logits.data_ptr<float>(), static_cast<std::size_t>(s.logits.numel())});
  if (const int t = scorer.frame_outputs(frames); t > 0) {
    s.frames = torch::empty({n, t, static_cast<std::int64_t>(scorer.classes().size())});
    scorer.score_frames(input, static_cast<std::size_t>(n), mels, frames,
                        {s.frames.data_ptr<float>(), static_cast<std::size_t>(s.frames.numel())});
  }
  return s;
}

TEST(CheckpointScorer, CompiledFromTheStoredDescriptionScoresAsTheNetwork) {
  testing::TempDir dir;
  torch::manual_seed(8);
  for (const auto& model :
       {models::ModelConfig{.arch = "resnet18",
       .num_classes = 3,
       .head = models::HeadKind::sed,
       .coord_conv = true},
        models::ModelConfig{
            .arch = "efficientnet_b0", .num_classes = 3, .head = models::HeadKind::gem}}) {
    models::Checkpoint c;
    c.model = model;
    c.classes = {"a", "b", "c"};
    c.features.n_mels = 64;
    const auto network = models::create_network(c.model);
    testing::randomise_batch_norms(*network);
    network->eval();
    c.weights = models::state_dict(*network);
    const auto path = dir / (model.arch + ".ckpt");
    c.write(path);
    models::Checkpoint read = models::Checkpoint::read(path);
    ASSERT_TRUE(read.inference.has_value()) << model.arch;
    EXPECT_EQ(read.inference->to_json(),
              models::describe_for_inference(*network, models::NetworkTensors(network)).to_json());

    const torch::Tensor windows = torch::randn({3, 64, 96});
    models::NetworkOutput expected;
    {
      torch::InferenceMode guard;
      expected = network->forward_output(windows.unsqueeze(1));
    }
    const auto check = [&](const std::shared_ptr<infer::CompiledScorer>& scorer, const char* how) {
      const Scores s = scores(*scorer, windows);
      EXPECT_LE(relative_difference(s.logits, expected.logits), kTolerance) << model.arch << how;
      if (model.head == models::HeadKind::sed) {
        EXPECT_LE(relative_difference(s.frames, expected.frame_probabilities), kTolerance)
            << model.arch << how;
      }
    };
    // The file read without LibTorch, the checkpoint as LibTorch reads it, and as a checkpoint
    // written before chorus stored its description.
    check(infer::CompiledScorer::from_file(path, graph::Precision::fp32), " (file)");
    check(infer::compiled_scorer(read, graph::Precision::fp32), " (stored description)");
    read.inference.reset();
    check(infer::compiled_scorer(read, graph::Precision::fp32), " (described on the spot)");
  }
}

TEST(CheckpointScorer, RefusesADescriptionNamingAWeightTheFileLacks) {
  testing::TempDir dir;
  models::Checkpoint c;
  c.model = {.arch = "resnet18", .num_classes = 2};
  c.classes = {"a", "b"};
  c.weights = models::state_dict(*models::create_network(c.model));
  c.write(dir / "m.ckpt");
  models::Checkpoint read = models::Checkpoint::read(dir / "m.ckpt");
  read.weights.erase("layer2.0.conv1.weight");
  const std::string message =
      testing::error_message([&] { infer::compiled_scorer(read, graph::Precision::fp32); });
  EXPECT_NE(message.find("m.ckpt"), std::string::npos) << message;
  EXPECT_NE(message.find("layer2.0.conv1.weight"), std::string::npos) << message;
}

}  // namespace
}  // namespace chorus
