// train.init_from below the command: which checkpoint a folder stands for (a fold's own model
// first), and the caution when the starting model may have learnt from the validation fold.

#include "train/initial_weights.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "models/checkpoint.hpp"
#include "models/state_dict.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

namespace fs = std::filesystem;

train::ExperimentConfig two_class_config() {
  train::ExperimentConfig config;
  config.model.arch = "resnet18";
  config.model.num_classes = 2;
  return config;
}

// A checkpoint of a fresh two-class model that held out `fold` (−1: none).
void write_model(const fs::path& path, int fold) {
  const train::ExperimentConfig config = two_class_config();
  models::Checkpoint c{.model = config.model,
                       .audio = config.audio,
                       .features = config.features,
                       .classes = {"a", "b"},
                       .weights = models::state_dict(*models::create_network(config.model)),
                       .held_out_fold = fold,
                       .fold_digest = fold >= 0 ? "digest" : ""};
  fs::create_directories(path.parent_path());
  c.write(path);
}

TEST(InitialWeights, AFolderStandsForTheModelOfTheSameFoldOrItsBestCheckpoint) {
  const testing::TempDir dir;
  write_model(dir / "folds/fold0/best.ckpt", 0);
  write_model(dir / "folds/fold1/best.ckpt", 1);
  write_model(dir / "one/best.ckpt", -1);
  EXPECT_EQ(train::initial_checkpoint((dir / "folds").string(), 1), dir / "folds/fold1/best.ckpt");
  EXPECT_EQ(train::initial_checkpoint((dir / "one").string(), 1), dir / "one/best.ckpt");
  EXPECT_EQ(train::initial_checkpoint((dir / "one").string(), -1), dir / "one/best.ckpt");
  EXPECT_EQ(train::initial_checkpoint((dir / "one/best.ckpt").string(), 3), dir / "one/best.ckpt");
  const std::string message =
      testing::error_message([&] { train::initial_checkpoint((dir / "folds").string(), 2); });
  EXPECT_NE(message.find("the folder holds no best.ckpt nor fold2/best.ckpt"), std::string::npos)
      << message;
}

TEST(InitialWeights, AModelThatSawTheValidationFoldIsCautionedAbout) {
  const testing::TempDir dir;
  write_model(dir / "fold0.ckpt", 0);
  write_model(dir / "all.ckpt", -1);
  const train::ExperimentConfig config = two_class_config();
  const auto load = [&](const char* name, int fold) {
    const std::shared_ptr<models::NetworkImpl> net = models::create_network(config.model);
    return train::load_initial_weights(*net, config, {"a", "b"}, dir / name, fold).caution;
  };
  EXPECT_EQ(load("fold0.ckpt", 0), "");
  EXPECT_EQ(load("all.ckpt", -1), "");  // nothing validated, nothing optimistic
  EXPECT_NE(load("fold0.ckpt", 1).find("held out fold 0: it may have learnt from fold 1's"),
            std::string::npos);
  EXPECT_NE(load("all.ckpt", 1).find("held out no fold"), std::string::npos);
  const std::string message = testing::error_message([&] {
    const std::shared_ptr<models::NetworkImpl> net = models::create_network(config.model);
    train::load_initial_weights(*net, config, {"b", "a"}, dir / "all.ckpt", -1);
  });
  EXPECT_NE(message.find("its classes (a, b) are not this dataset's (b, a)"), std::string::npos)
      << message;
}

}  // namespace
}  // namespace chorus
