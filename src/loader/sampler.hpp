#pragma once
// Which items a rank trains on in each epoch.
//
// Every epoch has one global order of the training items, deterministic from (seed, epoch):
// data.sampling = uniform shuffles them; balanced draws as many with replacement, an item's
// chance ∝ 1 / (items whose strongest class is its strongest class; items with no positive class
// form one group of their own). With data.labelled_share > 0 and pseudo-labelled items among
// them, each draw (as many as there are items, with replacement) is a labelled item with that
// probability, drawn as data.sampling says among the labelled ones, and otherwise a
// pseudo-labelled item, drawn uniformly. Inputs take data.halves consecutive items of that order
// each.
//
// Sharding across world_size ranks interleaves inputs: global input g goes to rank g mod world,
// as its local input g / world (the global order is first cut to a multiple of world inputs, so
// every rank has the same count). Global batch k of world·B inputs is then local batch k of every
// rank: rank r holds the global inputs k·world·B + r, + r + world, … — the rows a single rank
// with batch world·B has at r, r + world, … So world_size 2 × batch B trains on exactly the
// inputs of world_size 1 × batch 2B, split by rank.

#include <cstdint>
#include <vector>

#include "data/data_config.hpp"
#include "data/dataset.hpp"

namespace chorus::loader {

class Sampler {
 public:
  // `item_indices` index dataset.items (a fold's training items); each must exist.
  Sampler(const data::Dataset& dataset, std::vector<std::size_t> item_indices,
          const data::DataConfig& config, std::uint64_t seed, int rank = 0, int world_size = 1);

  // The items this rank sees in epoch `epoch`, halves() per input, in input order.
  std::vector<std::size_t> epoch(int epoch) const;

  // Inputs per rank per epoch, and the position in the epoch's global input order of this
  // rank's input `local` (what seeds the input's random draws).
  std::size_t inputs_per_epoch() const;
  std::size_t global_input(std::size_t local) const {
    return local * static_cast<std::size_t>(world_size_) + static_cast<std::size_t>(rank_);
  }
  int halves() const { return halves_; }

 private:
  std::vector<std::size_t> global_order(int epoch) const;

  std::vector<std::size_t> items_;
  std::vector<double> weights_;  // balanced sampling: one per item; empty: uniform
  // labelled_share: the labelled items (weights_ then per labelled item) and the pseudo ones.
  double labelled_share_ = 0;
  std::vector<std::size_t> labelled_, pseudo_;
  int halves_;
  std::uint64_t seed_;
  int rank_;
  int world_size_;
};

}  // namespace chorus::loader
