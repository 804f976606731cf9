#pragma once
// Colours that tell categories apart (series of a line chart, classes of detections drawn on a
// spectrogram), so one picture never gives two things the same colour unless it has more than
// ten of them.

#include <array>
#include <cstddef>

#include "plot/bitmap_font.hpp"

namespace chorus::plot {

// matplotlib's "tab10" (Tableau 10), the default cycle readers of plots know, in its order.
inline constexpr std::array<Rgb, 10> kCategoricalColours = {{{0x1f, 0x77, 0xb4},
                                                             {0xff, 0x7f, 0x0e},
                                                             {0x2c, 0xa0, 0x2c},
                                                             {0xd6, 0x27, 0x28},
                                                             {0x94, 0x67, 0xbd},
                                                             {0x8c, 0x56, 0x4b},
                                                             {0xe3, 0x77, 0xc2},
                                                             {0x7f, 0x7f, 0x7f},
                                                             {0xbc, 0xbd, 0x22},
                                                             {0x17, 0xbe, 0xcf}}};

// The colour of category `index`; past ten the cycle repeats, as matplotlib's does.
inline Rgb categorical_colour(std::size_t index) {
  return kCategoricalColours[index % kCategoricalColours.size()];
}

}  // namespace chorus::plot
