#pragma once
// CoordConv over frequency (Liu et al. 2018; RFCX 2021 6th place): a convolutional network is
// translation-equivariant, but a call's pitch identifies its species, so one extra input plane
// tells every position its mel band. The plane is linear in the mel index, −1 at the lowest mel
// (row 0 of a chorus spectrogram) to +1 at the highest, and constant over time.

#include <torch/types.h>

namespace chorus::models {

// x [N, C, mels, frames] → [N, C + 1, mels, frames], the coordinate plane last.
// A single mel row gets the coordinate 0.
torch::Tensor add_frequency_coordinate(const torch::Tensor& x);

}  // namespace chorus::models
