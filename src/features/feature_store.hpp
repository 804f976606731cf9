#pragma once
// The cached mel spectrograms of a dataset's files, as a training loader reads them: mapped from
// the feature cache (the default: the OS pages in only the frames a crop touches, and several
// processes share the pages) or loaded entirely into RAM (`--ram`: no disk reads during training,
// at the cost of the memory).

#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "features/feature_cache.hpp"

namespace chorus::features {

// A [n_mels × frames] mel power spectrogram, row-major, owned by the store.
struct MelView {
  int n_mels = 0;
  std::int64_t frames = 0;
  std::span<const float> values;
};

class FeatureStore {
 public:
  enum class Residence { mapped, ram };

  // Every file must be in the cache already (chorus prepare, or FeatureCache::ensure).
  FeatureStore(const FeatureCache& cache, const std::vector<std::filesystem::path>& files,
               Residence residence);

  std::size_t size() const { return views_.size(); }
  const MelView& operator[](std::size_t file) const { return views_[file]; }
  // Bytes held in RAM (0 when mapped).
  std::size_t resident_bytes() const { return ram_.size() * sizeof(float); }

 private:
  std::vector<core::MappedNpy> mapped_;
  std::vector<float> ram_;
  std::vector<MelView> views_;
};

}  // namespace chorus::features
