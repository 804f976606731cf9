#include "models/foldable_batch_norm.hpp"

#include <ostream>

#include "core/error.hpp"

// libtorch instantiates BatchNormImplBase<2> for its own BatchNorm2dImpl without exporting the
// members it defines out of line; a subclass's vtables need pretty_print, so it is defined here,
// printing what torch prints.
template <>
void torch::nn::BatchNormImplBase<2, torch::nn::BatchNorm2dImpl>::pretty_print(
    std::ostream& stream) const {
  stream << "torch::nn::BatchNorm2d(" << options.num_features() << ", eps=" << options.eps()
         << ", affine=" << options.affine()
         << ", track_running_stats=" << options.track_running_stats() << ")";
}

namespace chorus::models {

torch::Tensor FoldableBatchNorm2dImpl::forward(const torch::Tensor& x) {
  if (!folded_) return BatchNorm2dImpl::forward(x);
  CHORUS_CHECK_AS(
      ModelError, !is_training(),
      "a BatchNorm2d folded into its convolution by optimize_for_inference cannot train");
  return x;
}

}  // namespace chorus::models
