#pragma once
// Line charts as a picture for people: named series of (x, y) points, each in its own colour
// with a legend, round ticks on both axes, and panels stacked one above the other that share
// the x axis. Training draws its curves with it: loss (unbounded) in one panel and the
// validation metrics (0–1) in another, so neither squeezes the other flat.

#include <cmath>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace chorus::plot {

struct ChartPoint {
  double x = 0;    // must be finite, and increase along a series
  double y = NAN;  // NaN: no value here (an epoch without validation); the line has a gap
};

struct LineSeries {
  std::string name;  // in the legend
  std::vector<ChartPoint> points;
};

// One panel: its own y axis and legend; the x axis is shared by every panel of a picture.
struct LineChart {
  std::string title;    // above the panel
  std::string y_label;  // title of the y axis, left of it
  std::vector<LineSeries> series;
  // The y axis range; NaN (both): the data's range widened to round ticks. Points outside a
  // range that was given are clipped at the panel's edge.
  double y_min = NAN, y_max = NAN;
};

struct LineChartOptions {
  std::string title;              // above the first panel
  std::string x_label = "epoch";  // below the last panel
};

// Where a panel landed and what it shows, for callers that draw over it and for tests: value v
// on the x axis is pixel column plot_x + inset + round((v − x_min) / (x_max − x_min) ·
// (plot_width − 1 − 2·inset)), on the y axis pixel row plot_y + plot_height − 1 − inset −
// round((v − y_min) / (y_max − y_min) · (plot_height − 1 − 2·inset)).
struct LineChartPanelLayout {
  int plot_x = 0, plot_y = 0;           // top-left pixel of the plot area, inside the frame
  int plot_width = 0, plot_height = 0;  // pixels
  // Pixels between the frame and the ends of the axes, so that a marker on the first epoch or
  // at the end of the y range is whole, not cut in half by the frame.
  int inset = 0;
  double x_min = 0, x_max = 0, y_min = 0, y_max = 0;
  int legend_x = 0, legend_y = 0;  // top-left pixel of the legend, right of the plot
  int legend_row_height = 0;       // series i's colour swatch starts i rows down
};

struct LineChartLayout {
  int width = 0, height = 0;                 // the whole picture, pixels
  std::vector<LineChartPanelLayout> panels;  // top to bottom, in the order given
};

// The layout write_line_charts_png would use. Throws chorus::Error on bad input.
LineChartLayout line_chart_layout(std::span<const LineChart> panels,
                                  const LineChartOptions& options);

// Draws the panels top to bottom and writes an 8-bit RGB PNG, atomically. Series get the
// categorical colours in order, counted across panels. A point between two gaps (or a
// series of one point) is drawn as a marker, since it has no line.
// Throws chorus::Error for: no panels, a panel without series, a series without points, an x
// that is not finite or does not increase, a y that is infinite, a y range that was given but
// is not finite and increasing, or a panel with no finite y to take its range from;
// chorus::IoError when the file cannot be written.
void write_line_charts_png(const std::filesystem::path& path, std::span<const LineChart> panels,
                           const LineChartOptions& options);

}  // namespace chorus::plot
