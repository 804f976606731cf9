#pragma once
// What the bad-input suite's tests share: a folder with a random two-class ResNet-18 checkpoint
// and a clean 6-second recording beside which each test makes its hostile input, and the check
// that a refusal is exit status 2 with one line naming the problem.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "audio/audio_writer.hpp"
#include "models/checkpoint.hpp"
#include "models/network.hpp"
#include "models/state_dict.hpp"
#include "support/signals.hpp"
#include "support/test_support.hpp"

namespace chorus::testing {

namespace fs = std::filesystem;

// Exit status 2 and a single line on stderr that contains `expected`.
inline void expect_one_line_error(const CommandResult& r, const std::string& expected) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
}

class BadInput : public ::testing::Test {
 protected:
  // The checkpoint is made here rather than by `chorus import` (a LibTorch process start per
  // test): the suite's cases are many and each must stay short.
  void SetUp() override {
    models::Checkpoint c;
    c.model.arch = "resnet18";
    c.model.num_classes = 2;
    c.classes = {"sp1", "sp2"};
    c.weights = models::state_dict(*models::create_network(c.model));
    c.write(model());
    audio::write_audio(recording(), white_noise(32000, 6.0, 0.1, 1), 32000);
  }
  fs::path dir() const { return dir_.path(); }
  fs::path recording() const { return dir() / "rec.wav"; }
  std::string model() const { return (dir() / "m.ckpt").string(); }

  TempDir dir_;
};

}  // namespace chorus::testing
