#include "infer/window_scorer.hpp"

#include "core/error.hpp"

namespace chorus::infer {

void WindowScorer::score_frames(std::span<const float>, std::size_t, int, int, std::span<float>) {
  // The Predictor checks frame_outputs() first, so reaching this is a scorer that claims frames
  // it cannot give.
  throw ModelError("this model gives no framewise output (it is not a SED model)");
}

}  // namespace chorus::infer
