#include "loader/sampler.hpp"

#include <algorithm>
#include <map>
#include <random>

#include "core/error.hpp"

namespace chorus::loader {
namespace {

// The class with the largest target value, −1 when no class is positive (a no-call item).
long strongest_class(const data::Target& t) {
  const auto it = std::max_element(t.values.begin(), t.values.end());
  return it == t.values.end() || *it <= 0 ? -1 : static_cast<long>(it - t.values.begin());
}

}  // namespace

Sampler::Sampler(const data::Dataset& dataset, std::vector<std::size_t> item_indices,
                 const data::DataConfig& config, std::uint64_t seed, int rank, int world_size)
    : items_(std::move(item_indices)),
      halves_(config.halves),
      seed_(seed),
      rank_(rank),
      world_size_(world_size) {
  config.validate();
  CHORUS_CHECK_AS(ConfigError, world_size >= 1 && rank >= 0 && rank < world_size,
                  "rank {} of world size {}: expected 0 ≤ rank < world size", rank, world_size);
  for (std::size_t i : items_)
    CHORUS_CHECK(i < dataset.items.size(), "training item {} of a dataset of {} items", i,
                 dataset.items.size());
  for (std::size_t i : items_)
    (dataset.items[i].pseudo_labelled ? pseudo_ : labelled_).push_back(i);
  if (config.labelled_share > 0 && !pseudo_.empty() && !labelled_.empty())
    labelled_share_ = config.labelled_share;
  // Balanced weights over the items drawn by them: all, or the labelled ones under a share.
  const std::vector<std::size_t>& weighted = labelled_share_ > 0 ? labelled_ : items_;
  if (config.sampling == data::Sampling::balanced) {
    std::map<long, std::size_t> counts;
    for (std::size_t i : weighted) ++counts[strongest_class(dataset.items[i].target)];
    for (std::size_t i : weighted)
      weights_.push_back(1.0 /
                         static_cast<double>(counts[strongest_class(dataset.items[i].target)]));
  }
}

std::vector<std::size_t> Sampler::global_order(int epoch) const {
  std::seed_seq seq{static_cast<std::uint32_t>(seed_), static_cast<std::uint32_t>(seed_ >> 32),
                    static_cast<std::uint32_t>(epoch), 0x53414d50u /* "SAMP" */};
  std::mt19937_64 rng(seq);
  if (labelled_share_ > 0) {
    std::bernoulli_distribution labelled(labelled_share_);
    std::uniform_int_distribution<std::size_t> any_labelled(0, labelled_.size() - 1),
        any_pseudo(0, pseudo_.size() - 1);
    std::discrete_distribution<std::size_t> balanced(weights_.begin(), weights_.end());
    std::vector<std::size_t> order(items_.size());
    for (std::size_t& item : order)
      item = !labelled(rng)     ? pseudo_[any_pseudo(rng)]
             : weights_.empty() ? labelled_[any_labelled(rng)]
                                : labelled_[balanced(rng)];
    return order;
  }
  if (weights_.empty()) {
    std::vector<std::size_t> order = items_;
    std::shuffle(order.begin(), order.end(), rng);
    return order;
  }
  std::discrete_distribution<std::size_t> draw(weights_.begin(), weights_.end());
  std::vector<std::size_t> order(items_.size());
  for (std::size_t& item : order) item = items_[draw(rng)];
  return order;
}

std::size_t Sampler::inputs_per_epoch() const {
  return items_.size() / static_cast<std::size_t>(halves_) / static_cast<std::size_t>(world_size_);
}

std::vector<std::size_t> Sampler::epoch(int epoch) const {
  const std::vector<std::size_t> order = global_order(epoch);
  const std::size_t inputs = inputs_per_epoch(), halves = static_cast<std::size_t>(halves_);
  std::vector<std::size_t> mine;
  mine.reserve(inputs * halves);
  for (std::size_t local = 0; local < inputs; ++local)
    for (std::size_t h = 0; h < halves; ++h)
      mine.push_back(order[global_input(local) * halves + h]);
  return mine;
}

}  // namespace chorus::loader
