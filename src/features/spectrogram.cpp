#include "features/spectrogram.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace chorus::features {

Spectrogram Spectrogram::frames(int first, int count) const {
  CHORUS_DCHECK(first >= 0 && count >= 0 && first + count <= n_frames);
  Spectrogram out = Spectrogram::uninitialized(n_bins, count);
  for (int b = 0; b < n_bins; ++b)
    std::copy_n(values.begin() + static_cast<std::ptrdiff_t>(b) * n_frames + first, count,
                out.values.begin() + static_cast<std::ptrdiff_t>(b) * count);
  return out;
}

}  // namespace chorus::features
