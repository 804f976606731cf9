#pragma once
// Target vectors, loss masks and sample weights from labels, by the policies of data.target.

#include <span>
#include <string>
#include <vector>

#include "data/data_config.hpp"
#include "formats/class_list.hpp"
#include "formats/clip_metadata.hpp"

namespace chorus::data {

struct Target {
  std::vector<float> values;  // one per class
  std::vector<float> mask;    // 1: counts in the loss, 0: left out
  float weight = 1.0f;        // sample weight
};

// The target of a clip under config.target, then label smoothing (on values, masked classes
// untouched) and the rating weight. Its labels must be classes (Dataset::from_clips checks them
// and applies data.drop_unknown_secondary first).
Target clip_target(const formats::ClipRecord& clip, const formats::ClassList& classes,
                   const DataConfig& config);

// RFCX-style partial truth: species known present (1), known absent (0), the rest masked.
// A species both present and absent in a span counts as present.
Target presence_target(std::span<const std::size_t> present, std::span<const std::size_t> absent,
                       std::size_t classes);

// Pseudo-label blending: (1 − c)·target + c·pseudo[k] on class classes[k]; the other classes
// keep their target.
void blend_pseudo_labels(Target& target, std::span<const std::size_t> classes,
                         std::span<const float> pseudo, double c);

}  // namespace chorus::data
