// chorus import with a [model] head and frequency coordinate from --set, and chorus forward's SED
// frame output, through the executable.

#include <gtest/gtest.h>
#include <torch/types.h>

#include <array>
#include <fstream>

#include "core/npy.hpp"
#include "models/checkpoint.hpp"
#include "models/model_registry.hpp"
#include "models/safetensors.hpp"
#include "models/state_dict.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

using testing::run_chorus;

TEST(ImportHeads, SedHeadWithFrequencyCoordinateImportsAndGivesFrames) {
  testing::TempDir dir;
  const models::ModelConfig tv{.arch = "resnet18", .in_channels = 3, .num_classes = 10};
  const models::TensorMap rgb = models::state_dict(*models::create_backbone(tv));
  models::write_safetensors(dir / "tv.safetensors", rgb);
  std::ofstream(dir / "classes.txt") << "sp1\nsp2\nsp3\n";
  const auto imported =
      run_chorus({"import", "--arch", "resnet18", "--weights", (dir / "tv.safetensors").string(),
                  "--classes", (dir / "classes.txt").string(), "--set", "model.head=sed", "--set",
                  "model.coord_conv=true", "--out", (dir / "sed.ckpt").string()});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("resnet18 (sed head, frequency coordinate) for 3 classes"),
            std::string::npos)
      << imported.out;

  // The backbone's stem: the RGB weights summed, then a zero plane for the coordinate.
  const models::Checkpoint checkpoint = models::Checkpoint::read(dir / "sed.ckpt");
  const torch::Tensor stem = checkpoint.weights.at("backbone.conv1.weight");
  ASSERT_EQ(stem.size(1), 2);
  EXPECT_TRUE(torch::allclose(stem.narrow(1, 0, 1), rgb.at("conv1.weight").sum(1, true)));
  EXPECT_EQ(stem.narrow(1, 1, 1).abs().max().item<float>(), 0.0f);

  const std::vector<float> x(2 * 64 * 320, 0.25f);
  core::write_npy(dir / "x.npy", x, std::array<std::int64_t, 4>{2, 1, 64, 320});
  const auto forward = run_chorus({"forward", "--model", (dir / "sed.ckpt").string(), "--input",
                                   (dir / "x.npy").string(), "--output", (dir / "y.npy").string(),
                                   "--frames", (dir / "f.npy").string()});
  ASSERT_EQ(forward.exit_code, 0) << forward.err;
  EXPECT_NE(forward.out.find("2 x 10 x 3 frame probabilities (320 input frames)"),
            std::string::npos)
      << forward.out;
  EXPECT_EQ(core::read_npy(dir / "y.npy").shape, (std::vector<std::int64_t>{2, 3}));
  const core::NpyArray frames = core::read_npy(dir / "f.npy");
  EXPECT_EQ(frames.shape, (std::vector<std::int64_t>{2, 10, 3}));
  for (float p : frames.data) EXPECT_TRUE(p > 0.0f && p < 1.0f);

  const auto mismatched =
      run_chorus({"import", "--arch", "regnety_008", "--weights", (dir / "tv.safetensors").string(),
                  "--classes", (dir / "classes.txt").string(), "--out", (dir / "m.ckpt").string()});
  EXPECT_EQ(mismatched.exit_code, 2);  // resnet18 weights do not fit regnet_y_800mf (an alias)
  EXPECT_NE(mismatched.err.find("weights do not fit the model"), std::string::npos)
      << mismatched.err;
  const auto resnet =
      run_chorus({"import", "--arch", "resnet18", "--weights", (dir / "tv.safetensors").string(),
                  "--classes", (dir / "classes.txt").string(), "--out", (dir / "m.ckpt").string()});
  ASSERT_EQ(resnet.exit_code, 0) << resnet.err;
  const auto no_frames = run_chorus({"forward", "--model", (dir / "m.ckpt").string(), "--input",
                                     (dir / "x.npy").string(), "--output", (dir / "y.npy").string(),
                                     "--frames", (dir / "f.npy").string()});
  EXPECT_EQ(no_frames.exit_code, 2);
  EXPECT_NE(no_frames.err.find("has a 'linear' head; only a SED head has frame outputs"),
            std::string::npos)
      << no_frames.err;
}

}  // namespace
}  // namespace chorus
