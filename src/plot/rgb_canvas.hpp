#pragma once
// A white RGB picture to draw plots on, and its PNG writer: the spectrogram image and the
// metric charts share them, so every picture chorus writes has the same paper, ink, font and
// atomic, libpng-checked file writing.

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

#include "plot/bitmap_font.hpp"

namespace chorus::plot {

inline constexpr Rgb kPaper{255, 255, 255};
inline constexpr Rgb kInk{30, 30, 30};

class RgbCanvas {
 public:
  // Filled with kPaper.
  RgbCanvas(int width, int height);

  int width() const { return width_; }
  int height() const { return height_; }
  const std::uint8_t* data() const { return pixels_.data(); }

  // The w × h box at (x, y), clipped to the picture.
  void fill(int x, int y, int w, int h, Rgb colour);
  // A one-pixel kInk outline just outside the w × h area at (x, y), so it hides no data.
  void outline(int x, int y, int w, int h);
  // `label` in kInk (or `colour`) with its top-left corner at (x, y), whichever the direction.
  void text(int x, int y, std::string_view label, TextDirection direction = TextDirection::right,
            Rgb colour = kInk);

 private:
  int width_, height_;
  std::vector<std::uint8_t> pixels_;
};

// Writes the picture as an 8-bit RGB PNG, atomically; a file that cannot be written throws
// chorus::IoError and leaves nothing behind.
void write_png(const std::filesystem::path& path, const RgbCanvas& canvas);

}  // namespace chorus::plot
