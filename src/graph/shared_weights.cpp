#include "graph/shared_weights.hpp"

namespace chorus::graph {

SharedWeights::Constants SharedWeights::get(const float* weights,
                                            const dnnl::memory::desc& weights_desc,
                                            const std::function<Constants()>& make) {
  // Held while making: two graphs compiling at once wait for one copy instead of making two.
  std::lock_guard lock(mutex_);
  std::vector<Constants>& entries = entries_[weights];
  for (const Constants& c : entries)
    if (c.weights.get_desc() == weights_desc) return c;
  entries.push_back(make());
  return entries.back();
}

const std::vector<float>& SharedWeights::scales(const float* weights,
                                                const std::function<std::vector<float>()>& make) {
  std::lock_guard lock(mutex_);
  auto it = scales_.find(weights);
  if (it == scales_.end()) it = scales_.emplace(weights, make()).first;
  return it->second;  // map nodes stay where they are
}

std::size_t SharedWeights::bytes() const {
  std::lock_guard lock(mutex_);
  std::size_t total = 0;
  for (const auto& [conv, entries] : entries_)
    for (const Constants& c : entries)
      total += c.weights.get_desc().get_size() + c.bias.get_desc().get_size();
  return total;
}

}  // namespace chorus::graph
