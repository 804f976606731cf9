#include "plot/rgb_canvas.hpp"

#include <png.h>

#include <string>

#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace chorus::plot {

RgbCanvas::RgbCanvas(int width, int height)
    : width_(width), height_(height), pixels_(static_cast<std::size_t>(width) * height * 3) {
  fill(0, 0, width, height, kPaper);
}

void RgbCanvas::fill(int x, int y, int w, int h, Rgb colour) {
  fill_rect(pixels_, width_, x, y, w, h, colour);
}

void RgbCanvas::outline(int x, int y, int w, int h) {
  fill(x - 1, y - 1, w + 2, 1, kInk);
  fill(x - 1, y + h, w + 2, 1, kInk);
  fill(x - 1, y, 1, h, kInk);
  fill(x + w, y, 1, h, kInk);
}

void RgbCanvas::text(int x, int y, std::string_view label, TextDirection direction, Rgb colour) {
  draw_text(pixels_, width_, x, y, label, colour, direction);
}

void write_png(const std::filesystem::path& path, const RgbCanvas& canvas) {
  core::write_atomically(path, [&](const std::filesystem::path& temporary) {
    // libpng's simplified API reports failures through image.message instead of longjmp, so
    // no C++ object is skipped over on an error.
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = static_cast<png_uint_32>(canvas.width());
    image.height = static_cast<png_uint_32>(canvas.height());
    image.format = PNG_FORMAT_RGB;
    const bool ok =
        png_image_write_to_file(&image, temporary.c_str(), 0, canvas.data(), 0, nullptr) != 0;
    const std::string message = image.message;
    png_image_free(&image);
    CHORUS_CHECK_AS(IoError, ok, "cannot write PNG {}: {}", path.string(), message);
  });
}

}  // namespace chorus::plot
