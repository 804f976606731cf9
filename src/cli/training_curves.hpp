#pragma once
// <out>/training_curves.png, redrawn by `chorus train` after every epoch: the training loss per
// epoch above the validation metrics (and the EMA weights' ROC-AUC) per epoch.

#include <filesystem>
#include <vector>

#include "train/train_log.hpp"

namespace chorus::cli {

void write_training_curves(const std::filesystem::path& path,
                           const std::vector<train::EpochRecord>& records);

}  // namespace chorus::cli
