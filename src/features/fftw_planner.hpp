#pragma once
// FFTW's planner (plan creation and destruction) is not thread-safe; plan execution with the
// new-array functions is. Every module that makes FFTW plans takes this one lock, so plans made
// by the STFT and by the augmentations (time stretch) never race each other.

#include <mutex>

namespace chorus::features {

std::mutex& fftw_planner_mutex();

}  // namespace chorus::features
