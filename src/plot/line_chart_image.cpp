#include "plot/line_chart_image.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "plot/axis_labels.hpp"
#include "plot/bitmap_font.hpp"
#include "plot/categorical_colours.hpp"
#include "plot/rgb_canvas.hpp"

namespace chorus::plot {
namespace {

// Sizes in pixels.
constexpr int kMargin = 12;  // white border around everything
constexpr int kPlotWidth = 640;
constexpr int kPlotHeight = 220;
constexpr int kTickLength = 5;
constexpr int kTickLabelGap = 4;  // between a tick and its label
constexpr int kTitleGap = 10;     // below a title, beside an axis title
constexpr int kPanelGap = 16;     // between one panel's tick labels and the next one's title
constexpr int kLegendGap = 16;    // between the plot and its legend
constexpr int kSwatchWidth = 20;  // the short line before each legend name
constexpr int kSwatchGap = 6;
constexpr int kLegendRowGap = 6;
constexpr int kMaxLegendText = 360;  // longer series names are shortened with "..."
constexpr int kMaxTitleWidth = 1200;
constexpr int kLineWidth = 2;
constexpr int kMarkerSize = 7;
constexpr int kInset = kMarkerSize / 2 + 2;  // frame to axis ends: room for a whole marker
// Every point gets a marker when neighbouring points are at least this far apart, so a short
// run shows where its epochs are; denser curves show markers only where a point stands alone.
constexpr int kMarkedSpacing = 3 * kMarkerSize;

constexpr Rgb kGrid{225, 227, 231};

struct Range {
  double min = 0, max = 0;
};

struct Tick {
  double value = 0;
  std::string label;
};

// --- Input ---------------------------------------------------------------------------------

void check_series(const LineSeries& series) {
  CHORUS_CHECK(!series.points.empty(), "line chart: series '{}' has no points", series.name);
  for (std::size_t i = 0; i < series.points.size(); ++i) {
    const ChartPoint& p = series.points[i];
    CHORUS_CHECK(std::isfinite(p.x), "line chart: series '{}' point {}: x = {} is not finite",
                 series.name, i, p.x);
    CHORUS_CHECK(i == 0 || p.x > series.points[i - 1].x,
                 "line chart: series '{}' point {}: x = {} does not increase (after {})",
                 series.name, i, p.x, series.points[i - 1].x);
    CHORUS_CHECK(!std::isinf(p.y), "line chart: series '{}' point {}: y = {} is infinite",
                 series.name, i, p.y);
  }
}

void check_input(std::span<const LineChart> panels) {
  CHORUS_CHECK(!panels.empty(), "line chart: no panels to draw");
  for (const LineChart& panel : panels) {
    CHORUS_CHECK(!panel.series.empty(), "line chart: panel '{}' has no series", panel.title);
    for (const LineSeries& series : panel.series) check_series(series);
    const bool given = !std::isnan(panel.y_min) || !std::isnan(panel.y_max);
    CHORUS_CHECK(!given || (std::isfinite(panel.y_min) && std::isfinite(panel.y_max) &&
                            panel.y_min < panel.y_max),
                 "line chart: panel '{}': the y range [{}, {}] must be finite and increasing",
                 panel.title, panel.y_min, panel.y_max);
  }
}

// --- Ranges and ticks ----------------------------------------------------------------------

// A range that is a single value gets room around it, so its point sits inside the plot.
Range widened(Range r) {
  if (r.max > r.min) return r;
  const double pad = nice_step(r.min == 0 ? 1.0 : std::abs(r.min) / 5);
  return {r.min - pad, r.max + pad};
}

// The y range of a panel: the one given, or the data's widened to whole ticks of about five.
Range y_range(const LineChart& panel) {
  if (!std::isnan(panel.y_min)) return {panel.y_min, panel.y_max};
  Range data{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  for (const LineSeries& series : panel.series)
    for (const ChartPoint& p : series.points)
      if (std::isfinite(p.y)) data = {std::min(data.min, p.y), std::max(data.max, p.y)};
  CHORUS_CHECK(std::isfinite(data.min),
               "line chart: panel '{}' has no finite y values to take its range from", panel.title);
  const Range r = widened(data);
  const double step = nice_step((r.max - r.min) / 5);
  return {std::floor(r.min / step + 1e-9) * step, std::ceil(r.max / step - 1e-9) * step};
}

// The x range of every panel: all points of all series, exactly (the first and last epoch are
// the plot's edges).
Range x_range(std::span<const LineChart> panels) {
  Range r{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  for (const LineChart& panel : panels)
    for (const LineSeries& series : panel.series)
      r = {std::min(r.min, series.points.front().x), std::max(r.max, series.points.back().x)};
  return widened(r);
}

bool all_whole_numbers(std::span<const LineChart> panels) {
  for (const LineChart& panel : panels)
    for (const LineSeries& series : panel.series)
      for (const ChartPoint& p : series.points)
        if (p.x != std::round(p.x)) return false;
  return true;
}

std::vector<Tick> ticks_every(const Range& r, double step) {
  std::vector<Tick> ticks;
  for (double k = std::ceil(r.min / step - 1e-9); k * step <= r.max + 1e-9 * step; ++k)
    ticks.push_back({k * step, format_multiple(k * step, step)});
  return ticks;
}

int longest_label(const std::vector<Tick>& ticks) {
  int longest = 0;
  for (const Tick& tick : ticks) longest = std::max(longest, text_length(tick.label));
  return longest;
}

// About eight round steps whose labels do not touch; epochs (whole numbers) get no ticks
// between them.
std::vector<Tick> x_ticks(const Range& r, bool whole_numbers) {
  const double pixels_per_unit = (kPlotWidth - 1 - 2 * kInset) / (r.max - r.min);
  double step = nice_step((r.max - r.min) / 8);
  if (whole_numbers) step = std::max(step, 1.0);
  for (;;) {
    std::vector<Tick> ticks = ticks_every(r, step);
    if (longest_label(ticks) + text_thickness() <= step * pixels_per_unit) return ticks;
    step = nice_step(step * 1.5);
  }
}

// --- Layout --------------------------------------------------------------------------------

struct PanelPlan {
  LineChartPanelLayout layout;
  std::vector<Tick> y_ticks;
  int first_colour = 0;  // the categorical colour index of the panel's first series

  int x_of(double v) const {
    const LineChartPanelLayout& l = layout;
    const double span = l.plot_width - 1 - 2 * l.inset;
    return l.plot_x + l.inset +
           static_cast<int>(std::lround((v - l.x_min) / (l.x_max - l.x_min) * span));
  }
  // Unrounded and unclipped: lines to points outside the range are clipped where they cross.
  double y_of(double v) const {
    const LineChartPanelLayout& l = layout;
    const double span = l.plot_height - 1 - 2 * l.inset;
    return l.plot_y + l.plot_height - 1 - l.inset - (v - l.y_min) / (l.y_max - l.y_min) * span;
  }
};

struct Plan {
  LineChartLayout layout;
  std::vector<Tick> x_ticks;
  std::vector<PanelPlan> panels;
};

std::string legend_name(const LineSeries& series) { return fit_text(series.name, kMaxLegendText); }

Plan make_plan(std::span<const LineChart> panels, const LineChartOptions& options) {
  check_input(panels);
  Plan plan;
  const Range x = x_range(panels);
  plan.x_ticks = x_ticks(x, all_whole_numbers(panels));
  const int text = text_thickness();
  const int tick_label = 1 + kTickLength + kTickLabelGap;  // from the frame line to a label

  int longest_y_tick = 0, longest_legend = 0;
  bool any_y_label = false;
  int colour = 0;
  for (const LineChart& panel : panels) {
    PanelPlan p;
    const Range y = y_range(panel);
    p.layout.x_min = x.min;
    p.layout.x_max = x.max;
    p.layout.y_min = y.min;
    p.layout.y_max = y.max;
    p.y_ticks = ticks_every(y, nice_step((y.max - y.min) / 5));
    p.first_colour = colour;
    colour += static_cast<int>(panel.series.size());
    longest_y_tick = std::max(longest_y_tick, longest_label(p.y_ticks));
    for (const LineSeries& series : panel.series)
      longest_legend = std::max(longest_legend, text_length(legend_name(series)));
    any_y_label = any_y_label || !panel.y_label.empty();
    plan.panels.push_back(std::move(p));
  }

  // Every panel shares the left edge and width, so their x axes line up.
  const int plot_x = kMargin + (any_y_label ? text + kTitleGap : 0) + longest_y_tick + tick_label;
  const int legend_x = plot_x + kPlotWidth + 1 + kLegendGap;
  int y = kMargin + (options.title.empty() ? 0 : text + kTitleGap);
  for (std::size_t i = 0; i < panels.size(); ++i) {
    LineChartPanelLayout& l = plan.panels[i].layout;
    if (!panels[i].title.empty()) y += text + kTitleGap / 2;
    y += text / 2;  // the top y tick label is centred on the top edge
    l.plot_x = plot_x;
    l.plot_y = y;
    l.plot_width = kPlotWidth;
    l.plot_height = kPlotHeight;
    l.inset = kInset;
    l.legend_x = legend_x;
    l.legend_y = y;
    l.legend_row_height = text + kLegendRowGap;
    const int legend_bottom =
        l.legend_y + static_cast<int>(panels[i].series.size()) * l.legend_row_height;
    y = std::max(y + kPlotHeight + tick_label + text, legend_bottom) + kPanelGap;
    plan.layout.panels.push_back(l);
  }
  const int x_title = options.x_label.empty() ? 0 : text + kTitleGap;
  plan.layout.height = y - kPanelGap + x_title + kMargin;
  int title_width = text_length(options.title);
  for (const LineChart& panel : panels)
    title_width = std::max(title_width, plot_x + text_length(panel.title) - kMargin);
  plan.layout.width = std::max(legend_x + kSwatchWidth + kSwatchGap + longest_legend + kMargin,
                               std::min(title_width, kMaxTitleWidth) + 2 * kMargin);
  return plan;
}

// --- Drawing -------------------------------------------------------------------------------

// Fills the size × size square centred on (x, y), clipped to the plot so that curves never
// paint over the axes.
void dot(RgbCanvas& canvas, const LineChartPanelLayout& l, int x, int y, int size, Rgb colour) {
  const int left = std::max(x - size / 2, l.plot_x), top = std::max(y - size / 2, l.plot_y);
  const int right = std::min(x - size / 2 + size, l.plot_x + l.plot_width);
  const int bottom = std::min(y - size / 2 + size, l.plot_y + l.plot_height);
  if (right > left && bottom > top) canvas.fill(left, top, right - left, bottom - top, colour);
}

// A kLineWidth line from (x0, y0) to (x1, y1), the part outside the plot's rows cut off
// first: a point far outside a given range must not cost a pixel per unit of distance.
void segment(RgbCanvas& canvas, const LineChartPanelLayout& l, double x0, double y0, double x1,
             double y1, Rgb colour) {
  double t0 = 0, t1 = 1;
  const double top = l.plot_y - 1.0, bottom = l.plot_y + l.plot_height;
  const double dy = y1 - y0;
  if (dy == 0) {
    if (y0 < top || y0 > bottom) return;
  } else {
    const double ta = (top - y0) / dy, tb = (bottom - y0) / dy;
    t0 = std::max(t0, std::min(ta, tb));
    t1 = std::min(t1, std::max(ta, tb));
    if (t0 > t1) return;
  }
  const double ax = x0 + t0 * (x1 - x0), ay = y0 + t0 * dy;
  const double bx = x0 + t1 * (x1 - x0), by = y0 + t1 * dy;
  // Two samples per pixel of the longer extent leave no holes in steep lines.
  const int samples =
      1 + static_cast<int>(std::ceil(2 * std::max(std::abs(bx - ax), std::abs(by - ay))));
  for (int s = 0; s <= samples; ++s) {
    const double t = static_cast<double>(s) / samples;
    dot(canvas, l, static_cast<int>(std::lround(ax + t * (bx - ax))),
        static_cast<int>(std::lround(ay + t * (by - ay))), kLineWidth, colour);
  }
}

bool has_value(const std::vector<ChartPoint>& points, std::size_t i) {
  return i < points.size() && !std::isnan(points[i].y);
}

void draw_series(RgbCanvas& canvas, const PanelPlan& plan, const LineSeries& series, Rgb colour) {
  const std::vector<ChartPoint>& points = series.points;
  const LineChartPanelLayout& l = plan.layout;
  int min_spacing = std::numeric_limits<int>::max();
  for (std::size_t i = 1; i < points.size(); ++i)
    min_spacing = std::min(min_spacing, plan.x_of(points[i].x) - plan.x_of(points[i - 1].x));
  const bool mark_all = min_spacing >= kMarkedSpacing;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!has_value(points, i)) continue;
    const int x = plan.x_of(points[i].x);
    const double y = plan.y_of(points[i].y);
    if (has_value(points, i + 1))
      segment(canvas, l, x, y, plan.x_of(points[i + 1].x), plan.y_of(points[i + 1].y), colour);
    const bool alone = (i == 0 || !has_value(points, i - 1)) && !has_value(points, i + 1);
    if (alone || mark_all) dot(canvas, l, x, static_cast<int>(std::lround(y)), kMarkerSize, colour);
  }
}

void draw_grid_and_axes(RgbCanvas& canvas, const Plan& plan, const PanelPlan& panel,
                        const std::string& y_label) {
  const LineChartPanelLayout& l = panel.layout;
  const int text = text_thickness();
  for (const Tick& tick : plan.x_ticks)
    canvas.fill(panel.x_of(tick.value), l.plot_y, 1, l.plot_height, kGrid);
  for (const Tick& tick : panel.y_ticks)
    canvas.fill(l.plot_x, static_cast<int>(std::lround(panel.y_of(tick.value))), l.plot_width, 1,
                kGrid);
  canvas.outline(l.plot_x, l.plot_y, l.plot_width, l.plot_height);

  const int x_tick_y = l.plot_y + l.plot_height + 1;
  for (const Tick& tick : plan.x_ticks) {
    const int x = panel.x_of(tick.value);
    canvas.fill(x, x_tick_y, 1, kTickLength, kInk);
    canvas.text(x - text_length(tick.label) / 2, x_tick_y + kTickLength + kTickLabelGap,
                tick.label);
  }
  const int y_tick_x = l.plot_x - 1 - kTickLength;
  for (const Tick& tick : panel.y_ticks) {
    const int y = static_cast<int>(std::lround(panel.y_of(tick.value)));
    canvas.fill(y_tick_x, y, kTickLength, 1, kInk);
    canvas.text(y_tick_x - kTickLabelGap - text_length(tick.label), y - text / 2, tick.label);
  }
  const std::string title = fit_text(y_label, l.plot_height);
  canvas.text(kMargin, l.plot_y + (l.plot_height - text_length(title)) / 2, title,
              TextDirection::up);
}

void draw_legend(RgbCanvas& canvas, const PanelPlan& panel, const LineChart& chart) {
  const LineChartPanelLayout& l = panel.layout;
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const int top = l.legend_y + static_cast<int>(i) * l.legend_row_height;
    const Rgb colour = categorical_colour(panel.first_colour + i);
    canvas.fill(l.legend_x, top + text_thickness() / 2 - 2, kSwatchWidth, 4, colour);
    canvas.text(l.legend_x + kSwatchWidth + kSwatchGap, top, legend_name(chart.series[i]));
  }
}

void draw_titles(RgbCanvas& canvas, const Plan& plan, std::span<const LineChart> panels,
                 const LineChartOptions& options) {
  const int width = plan.layout.width;
  canvas.text(kMargin, kMargin, fit_text(options.title, width - 2 * kMargin));
  for (std::size_t i = 0; i < panels.size(); ++i) {
    const LineChartPanelLayout& l = plan.panels[i].layout;
    const int top = l.plot_y - text_thickness() / 2 - kTitleGap / 2 - text_thickness();
    canvas.text(l.plot_x, top, fit_text(panels[i].title, width - kMargin - l.plot_x));
  }
  const LineChartPanelLayout& last = plan.panels.back().layout;
  const std::string x_label = fit_text(options.x_label, last.plot_width);
  canvas.text(last.plot_x + (last.plot_width - text_length(x_label)) / 2,
              plan.layout.height - kMargin - text_thickness(), x_label);
}

}  // namespace

LineChartLayout line_chart_layout(std::span<const LineChart> panels,
                                  const LineChartOptions& options) {
  return make_plan(panels, options).layout;
}

void write_line_charts_png(const std::filesystem::path& path, std::span<const LineChart> panels,
                           const LineChartOptions& options) {
  const Plan plan = make_plan(panels, options);
  RgbCanvas canvas(plan.layout.width, plan.layout.height);
  draw_titles(canvas, plan, panels, options);
  for (std::size_t i = 0; i < panels.size(); ++i) {
    const PanelPlan& panel = plan.panels[i];
    draw_grid_and_axes(canvas, plan, panel, panels[i].y_label);
    for (std::size_t s = 0; s < panels[i].series.size(); ++s)
      draw_series(canvas, panel, panels[i].series[s], categorical_colour(panel.first_colour + s));
    draw_legend(canvas, panel, panels[i]);
  }
  write_png(path, canvas);
}

}  // namespace chorus::plot
