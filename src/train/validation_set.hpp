#pragma once
// The held-out items of a dataset as validation scores them: one row per recording, because the
// Predictor scores recordings (chunk by chunk, as `chorus predict` does) and a recording's row is
// the maximum over its chunks ("is the species anywhere in it"). The truth of a cell is positive
// where some item of the recording has a target ≥ 0.5 for the class (a hard label under every
// target policy: primary 1, `shared` primary 0.5, smoothed 1 − ε; secondary shares, smoothing
// mass and pseudo-labels below it stay negative), and known where some item's mask counts it
// (RFCX: the TP/FP species only).

#include <filesystem>
#include <span>
#include <vector>

#include "data/dataset.hpp"

namespace chorus::train {

struct ValidationSet {
  std::vector<std::filesystem::path> files;
  std::size_t classes = 0;
  std::vector<double> truth;  // files × classes, 0/1
  std::vector<double> mask;   // files × classes, 1 = the cell's truth is known

  // Recordings in the order their first item appears.
  static ValidationSet from_items(const data::Dataset& dataset, std::span<const std::size_t> items);

  bool partial() const;  // some cell unknown
};

}  // namespace chorus::train
