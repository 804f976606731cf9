#pragma once
// A horizontal bar chart as a picture for people: one labelled row per item, bars along a value
// axis with round ticks and grid lines, a note beside each bar and an optional reference line
// (a mean). Horizontal, so that long names (species, classes) read without turning the head;
// `chorus eval --plot` draws per-class average precision with it.

#include <cmath>
#include <filesystem>
#include <span>
#include <string>

namespace chorus::plot {

struct ChartBar {
  std::string label;   // left of the bar
  double value = NAN;  // the bar's length on the value axis; NaN: no bar (an undefined value)
  std::string note;    // right of the plot on the bar's row: the value, a count, "no positives"
};

struct BarChartOptions {
  std::string title;        // above the plot
  std::string subtitle;     // a second line under the title (a summary of the numbers)
  std::string value_label;  // title of the value axis, below it
  double value_min = 0.0, value_max = 1.0;
  double reference_value = NAN;  // a dashed line across every bar; NaN: none
  std::string reference_label;   // drawn above the plot at the line
};

// Where the parts of the picture land, for tests.
struct BarChartLayout {
  int width = 0, height = 0;            // the whole picture, pixels
  int plot_x = 0, plot_y = 0;           // top-left pixel of the bar area
  int plot_width = 0, plot_height = 0;  // pixels
  int row_height = 0;                   // pixels per bar row; bar i spans rows i·row_height…
};

// The layout write_bar_chart_png would use. Throws chorus::Error on bad input.
BarChartLayout bar_chart_layout(std::span<const ChartBar> bars, const BarChartOptions& options);

// Draws the bars top to bottom in the order given and writes an 8-bit RGB PNG, atomically.
// Throws chorus::Error for no bars, a value range that is not finite and increasing, or a value
// outside it (NaN aside); chorus::IoError when the file cannot be written.
void write_bar_chart_png(const std::filesystem::path& path, std::span<const ChartBar> bars,
                         const BarChartOptions& options);

}  // namespace chorus::plot
