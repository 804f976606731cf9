#pragma once
// Cross-validation folds that keep every class's share the same in each fold.
//   single-label: stratified k-fold on one label per item (sklearn's StratifiedKFold in spirit):
//     per class, the items are shuffled and dealt round-robin, each class continuing where the
//     previous one stopped, so per-class counts and fold sizes differ by at most one;
//   multi-label: iterative stratification (Sechidis, Tsoumakas & Vlahavas 2011, "On the
//     stratification of multi-label data"): the rarest remaining label is placed first, each of
//     its items into the fold that most lacks that label.
// Items of classes with at most `min_count` items are never held out: they get kAlwaysTrain, so
// every training fold sees them (BirdCLEF practice for species with a handful of recordings).

#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.hpp"

namespace chorus::data {

inline constexpr int kAlwaysTrain = -1;

struct FoldOptions {
  int k = 5;
  std::uint64_t seed = 42;
  int min_count = 0;  // classes with ≤ this many items stay in every training fold
};

// One label per item → a fold in [0, k) or kAlwaysTrain per item. Deterministic for a seed.
std::vector<int> stratified_folds(const std::vector<std::string>& labels,
                                  const FoldOptions& options);

// Any number of labels per item (none allowed) → a fold per item.
std::vector<int> multilabel_folds(const std::vector<std::vector<std::string>>& labels,
                                  const FoldOptions& options);

// A fingerprint of which recording is in which fold: a hash of the sorted (folder/file name,
// fold) pairs of the items that have a fold. Items never held out (no-call recordings,
// kAlwaysTrain) and the dataset's location do not count, so a moved dataset or another
// data.nocall_dir keeps it; a changed fold assignment does not.
std::string fold_digest(const Dataset& dataset);

// The fold of each of the dataset's files: kAlwaysTrain for a file whose items have none. A file
// whose items are in different folds is a ConfigError naming it.
std::vector<int> file_folds(const Dataset& dataset);

}  // namespace chorus::data
