#include "train/validation_set.hpp"

#include <algorithm>
#include <map>

namespace chorus::train {

ValidationSet ValidationSet::from_items(const data::Dataset& dataset,
                                        std::span<const std::size_t> items) {
  ValidationSet set;
  set.classes = dataset.classes.size();
  std::map<std::size_t, std::size_t> row_of_file;
  for (const std::size_t index : items) {
    const data::Item& item = dataset.items.at(index);
    auto [it, added] = row_of_file.emplace(item.file, set.files.size());
    if (added) {
      set.files.push_back(dataset.files.at(item.file));
      set.truth.resize(set.truth.size() + set.classes, 0.0);
      set.mask.resize(set.mask.size() + set.classes, 0.0);
    }
    double* truth = set.truth.data() + it->second * set.classes;
    double* mask = set.mask.data() + it->second * set.classes;
    for (std::size_t c = 0; c < set.classes; ++c) {
      const bool known = item.target.mask.empty() || item.target.mask[c] > 0;
      if (!known) continue;
      mask[c] = 1.0;
      if (item.target.values[c] >= 0.5f) truth[c] = 1.0;
    }
  }
  return set;
}

bool ValidationSet::partial() const {
  return std::find(mask.begin(), mask.end(), 0.0) != mask.end();
}

}  // namespace chorus::train
