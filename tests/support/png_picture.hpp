#pragma once
// PNG files read back with libpng as 8-bit RGB, so picture tests check pixels, not bytes.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "plot/bitmap_font.hpp"

namespace chorus::testing {

struct Picture {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;

  plot::Rgb at(int x, int y) const {
    const std::uint8_t* p = rgb.data() + (static_cast<std::size_t>(y) * width + x) * 3;
    return {p[0], p[1], p[2]};
  }
};

// Adds a test failure (and returns an empty picture) when the file is not a readable PNG.
Picture read_png(const std::filesystem::path& path);

}  // namespace chorus::testing
