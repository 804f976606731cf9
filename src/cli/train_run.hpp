#pragma once
// `chorus train` as a function, for the commands that train as one of their steps
// (`chorus selftrain`). What it prints is what `chorus train` prints.

#include <filesystem>
#include <string>
#include <vector>

#include "core/config_file.hpp"
#include "train/trainer.hpp"

namespace chorus::cli {

struct TrainOptions {
  std::string dataset;
  std::string metadata;
  std::string out;
  core::ConfigSource config;
  int fold = -1;
  bool all_folds = false;
  std::string cache;
  bool ram = false;
  bool resume = false;
  int stop_after = 0;
  int threads = 1;
  int world_size = 1;
  int rank = 0;
  std::string master = "127.0.0.1:29500";
};

// One trained model: the fold it held out (−1: none), its folder and what training returned.
struct TrainedModel {
  int fold = -1;
  std::filesystem::path dir;
  train::TrainResult result;
};

// Trains as `chorus train` does: one model, or one per fold (--all-folds) into DIR/fold<k>.
std::vector<TrainedModel> run_train(TrainOptions& options);

}  // namespace chorus::cli
