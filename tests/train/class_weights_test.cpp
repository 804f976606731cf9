// train.class_weights files: listed classes get their weight, others 1, mistakes name the line.

#include "train/class_weights.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace chorus {
namespace {

const std::vector<std::string> kClasses{"asbfly", "ashdro1", "bkwsti"};

TEST(ClassWeights, ListedClassesGetTheirWeightOthersOne) {
  testing::TempDir dir;
  const auto path = testing::write_text(dir / "w.csv", "class,weight\nbkwsti,2.5\nasbfly,0\n");
  const torch::Tensor w = train::read_class_weights(path, kClasses);
  EXPECT_TRUE(torch::equal(w, torch::tensor({0.0f, 1.0f, 2.5f})));
}

TEST(ClassWeights, MistakesNameTheFileAndLine) {
  testing::TempDir dir;
  const auto message = [&](const std::string& text) {
    const auto path = testing::write_text(dir / "w.csv", text);
    return testing::error_message([&] { train::read_class_weights(path, kClasses); });
  };
  const std::string file = (dir / "w.csv").string();
  EXPECT_EQ(message("class,weight\nasbfly,1\nzebra,2\n"),
            file + ":3: class 'zebra' is not among the model's classes");
  EXPECT_EQ(message("class,weight\nasbfly,1\nasbfly,2\n"),
            file + ":3: class 'asbfly' is listed twice");
  EXPECT_EQ(message("class,weight\nasbfly,-1\n"),
            file + ":2: weight -1 of class 'asbfly' must be ≥ 0");
  EXPECT_NE(message("class,weight\nasbfly,heavy\n").find(file + ":2:"), std::string::npos);
  EXPECT_NE(message("class,factor\nasbfly,1\n").find("weight"), std::string::npos);
}

}  // namespace
}  // namespace chorus
