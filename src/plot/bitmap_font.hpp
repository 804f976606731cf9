#pragma once
// A small fixed-size bitmap font (5×7 glyphs with a descender row, printable ASCII 32–126) for
// labelling images without a font library: chorus writes plots on machines that have no fonts
// installed, and a fixed font makes the pictures identical everywhere. It draws into plain
// interleaved RGB buffers, so any image writer can use it.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace chorus::plot {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
  friend bool operator==(const Rgb&, const Rgb&) = default;
};

// Text reads left to right, or bottom to top (turned 90° anticlockwise, as axis titles on the
// left of a plot are).
enum class TextDirection { right, up };

// One font pixel becomes scale × scale image pixels; ×2 is legible on an ordinary screen.
inline constexpr int kDefaultTextScale = 2;

// Image pixels along the writing direction that `text` occupies, one glyph cell per byte.
int text_length(std::string_view text, int scale = kDefaultTextScale);
// Image pixels across the writing direction: the cell from the top of capitals to the bottom
// of descenders.
int text_thickness(int scale = kDefaultTextScale);

// `text`, shortened with "..." where it would be longer than `pixels`: a long file or class
// name must not push a picture wide or run over its neighbours.
std::string fit_text(std::string text, int pixels, int scale = kDefaultTextScale);

// Fills the w × h box at (x, y) of interleaved 8-bit RGB pixels (`width` pixels a row, rows
// from the top), clipped to the image. Text is drawn with it; callers drawing boxes beside the
// text use it too, so both clip alike.
void fill_rect(std::span<std::uint8_t> rgb, int width, int x, int y, int w, int h, Rgb colour);

// Draws `text` into interleaved 8-bit RGB pixels (`width` pixels a row, rows from the top).
// (x, y) is the top-left corner of the rectangle the text covers in the image, whichever the
// direction, so that callers lay out text as boxes. Pixels outside the image are skipped, and
// bytes outside printable ASCII are drawn as '?'.
void draw_text(std::span<std::uint8_t> rgb, int width, int x, int y, std::string_view text,
               Rgb colour, TextDirection direction = TextDirection::right,
               int scale = kDefaultTextScale);

}  // namespace chorus::plot
