#include "features/feature_store.hpp"

#include "core/error.hpp"

namespace chorus::features {

FeatureStore::FeatureStore(const FeatureCache& cache,
                           const std::vector<std::filesystem::path>& files, Residence residence) {
  mapped_.reserve(files.size());
  for (const auto& file : files) mapped_.push_back(cache.map(file));
  if (residence == Residence::ram) {
    std::size_t total = 0;
    for (const auto& m : mapped_) total += m.data().size();
    ram_.reserve(total);
    for (const auto& m : mapped_) ram_.insert(ram_.end(), m.data().begin(), m.data().end());
  }
  std::size_t offset = 0;
  for (const auto& m : mapped_) {
    CHORUS_DCHECK(m.shape().size() == 2);
    MelView view{static_cast<int>(m.shape()[0]), m.shape()[1], m.data()};
    if (residence == Residence::ram) {
      view.values = std::span<const float>(ram_).subspan(offset, m.data().size());
      offset += m.data().size();
    }
    views_.push_back(view);
  }
  if (residence == Residence::ram) mapped_.clear();  // the copies in ram_ are what is used
}

}  // namespace chorus::features
