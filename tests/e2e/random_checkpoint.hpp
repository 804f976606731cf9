#pragma once
// A chorus checkpoint with random weights, made as a user makes one from torchvision weights:
// a 3-channel torchvision network (ResNet-18 unless told) saved as safetensors, then
// `chorus import` with a class list.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "models/model_registry.hpp"
#include "models/safetensors.hpp"
#include "models/state_dict.hpp"
#include "support/test_support.hpp"

namespace chorus::testing {

// Writes dir/<name>.ckpt for `classes`; returns what `chorus import` printed.
inline CommandResult import_random_network(const std::filesystem::path& dir,
                                           const std::vector<std::string>& classes,
                                           const std::string& name, const std::string& arch) {
  models::ModelConfig tv;
  tv.arch = arch;
  tv.in_channels = 3;
  tv.num_classes = 10;
  models::write_safetensors(dir / (name + ".safetensors"),
                            models::state_dict(*models::create_backbone(tv)));
  {
    std::ofstream list(dir / (name + "_classes.txt"));
    for (const std::string& c : classes) list << c << "\n";
  }
  CommandResult imported = run_chorus(
      {"import", "--arch", arch, "--weights", (dir / (name + ".safetensors")).string(), "--classes",
       (dir / (name + "_classes.txt")).string(), "--out", (dir / (name + ".ckpt")).string()});
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  return imported;
}

inline CommandResult import_random_resnet18(const std::filesystem::path& dir,
                                            const std::vector<std::string>& classes,
                                            const std::string& name = "m") {
  return import_random_network(dir, classes, name, "resnet18");
}

}  // namespace chorus::testing
