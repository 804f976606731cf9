#pragma once
// The smallest training set the end-to-end training tests share: `chorus synth` with 3 species,
// 4 clips each and a one-minute soundscape, and a recipe of 2 epochs on 3 s windows.

#include <gtest/gtest.h>

#include <string>

#include "support/test_support.hpp"

namespace chorus::testing {

inline constexpr const char* kTinyConfig = R"([features]
n_fft = 512
hop_length = 512
n_mels = 32
normalize = "minmax"
[data]
window_seconds = 3.0
[model]
arch = "resnet18"
[train]
epochs = 2
batch_size = 4
workers = 1
[infer]
chunk_seconds = 3.0
context_seconds = 3.0
)";

struct TinySet {
  TempDir dir;
  std::string set = (dir / "set").string(), config = (dir / "tiny.toml").string();
  TinySet() {
    EXPECT_EQ(run_chorus({"synth", "--out", set, "--species", "3", "--clips-per-species", "4",
                          "--soundscapes", "1", "--seed", "5"})
                  .exit_code,
              0);
    write_text(config, kTinyConfig);
  }
};

}  // namespace chorus::testing
