#include "runtime/shared_weights.hpp"

namespace chorus::runtime {

SharedWeights::Constants SharedWeights::get(const torch::nn::Conv2dImpl& conv,
                                            const dnnl::memory::desc& weights_desc,
                                            const std::function<Constants()>& make) {
  // Held while making: two graphs compiling at once wait for one copy instead of making two.
  std::lock_guard lock(mutex_);
  std::vector<Constants>& entries = entries_[&conv];
  for (const Constants& c : entries)
    if (c.weights.get_desc() == weights_desc) return c;
  entries.push_back(make());
  return entries.back();
}

std::size_t SharedWeights::bytes() const {
  std::lock_guard lock(mutex_);
  std::size_t total = 0;
  for (const auto& [conv, entries] : entries_)
    for (const Constants& c : entries)
      total += c.weights.get_desc().get_size() + c.bias.get_desc().get_size();
  return total;
}

}  // namespace chorus::runtime
