#include "plot/bar_chart_image.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "plot/axis_labels.hpp"
#include "plot/bitmap_font.hpp"
#include "plot/rgb_canvas.hpp"

namespace chorus::plot {
namespace {

// Sizes in pixels.
constexpr int kMargin = 12;      // white border around everything
constexpr int kPlotWidth = 520;  // the value axis
constexpr int kBarPadding = 4;   // above and below each bar within its row
constexpr int kLabelGap = 8;     // between a label or note and the plot
constexpr int kTickLength = 5;
constexpr int kTickLabelGap = 4;  // between a tick and its label
constexpr int kTitleGap = 10;     // below the title, above an axis title
constexpr int kMaxTitleWidth = 1200;
constexpr int kMaxLabelWidth = 480;  // a label or note longer than this is shortened with "..."
constexpr int kReferenceDash = 6;    // dash and gap of the reference line

constexpr Rgb kBar{70, 114, 168};      // a calm blue, legible on paper and in grey print
constexpr Rgb kStripe{244, 245, 247};  // every other row, so a long chart reads row by row
constexpr Rgb kGrid{210, 212, 216};
constexpr Rgb kReference{204, 85, 0};  // stands out from the bars

struct Tick {
  double value = 0;
  std::string label;
};

void check_input(std::span<const ChartBar> bars, const BarChartOptions& options) {
  CHORUS_CHECK(!bars.empty(), "bar chart: no bars to draw");
  CHORUS_CHECK(std::isfinite(options.value_min) && std::isfinite(options.value_max) &&
                   options.value_min < options.value_max,
               "bar chart: the value range [{}, {}] must be finite and increasing",
               options.value_min, options.value_max);
  for (const ChartBar& bar : bars)
    CHORUS_CHECK(
        std::isnan(bar.value) || (bar.value >= options.value_min && bar.value <= options.value_max),
        "bar chart: '{}' = {} lies outside the value range [{}, {}]", bar.label, bar.value,
        options.value_min, options.value_max);
}

// About five round steps across the range, ends included when they are multiples of the step.
std::vector<Tick> value_ticks(const BarChartOptions& options) {
  const double step = nice_step((options.value_max - options.value_min) / 5);
  std::vector<Tick> ticks;
  for (double k = std::ceil(options.value_min / step - 1e-9);
       k * step <= options.value_max + 1e-9 * step; ++k)
    ticks.push_back({k * step, format_multiple(k * step, step)});
  return ticks;
}

// One overlong class name must not squeeze the plot or widen the picture for every other row.
std::string shown(const std::string& text) { return fit_text(text, kMaxLabelWidth); }

int longest(std::span<const ChartBar> bars, std::string ChartBar::*text) {
  int pixels = 0;
  for (const ChartBar& bar : bars) pixels = std::max(pixels, text_length(shown(bar.*text)));
  return pixels;
}

int title_lines(const BarChartOptions& options) {
  return (options.title.empty() ? 0 : 1) + (options.subtitle.empty() ? 0 : 1);
}

bool has_reference(const BarChartOptions& options) {
  return std::isfinite(options.reference_value);
}

// Everything decided before drawing: margins are sized to the labels.
struct Plan {
  BarChartLayout layout;
  std::vector<Tick> ticks;

  // The pixel column of `value` on the value axis.
  int x_of(double value, const BarChartOptions& options) const {
    const double fraction = (value - options.value_min) / (options.value_max - options.value_min);
    return layout.plot_x + static_cast<int>(std::lround(fraction * (layout.plot_width - 1)));
  }
};

Plan make_plan(std::span<const ChartBar> bars, const BarChartOptions& options) {
  check_input(bars, options);
  Plan plan;
  plan.ticks = value_ticks(options);
  BarChartLayout& l = plan.layout;
  const int text = text_thickness();
  l.row_height = text + 2 * kBarPadding;
  l.plot_width = kPlotWidth;
  l.plot_height = static_cast<int>(bars.size()) * l.row_height;
  l.plot_x = kMargin + longest(bars, &ChartBar::label) + kLabelGap;
  l.plot_y = kMargin + title_lines(options) * (text + kTitleGap) +
             (has_reference(options) ? text + kTickLabelGap : 0);
  const int content_width =
      l.plot_x + l.plot_width + kLabelGap + longest(bars, &ChartBar::note) + kMargin;
  const int title_width =
      std::min(std::max(text_length(options.title), text_length(options.subtitle)) + 2 * kMargin,
               kMaxTitleWidth);
  l.width = std::max(content_width, title_width);
  l.height = l.plot_y + l.plot_height + 1 + kTickLength + kTickLabelGap + text +
             (options.value_label.empty() ? 0 : kTitleGap + text) + kMargin;
  return plan;
}

void draw_rows(RgbCanvas& canvas, std::span<const ChartBar> bars, const Plan& plan,
               const BarChartOptions& options) {
  const BarChartLayout& l = plan.layout;
  const int text = text_thickness();
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const int top = l.plot_y + static_cast<int>(i) * l.row_height;
    if (i % 2 == 1) canvas.fill(l.plot_x, top, l.plot_width, l.row_height, kStripe);
  }
  // Grid lines under the bars, so a bar's end can be read off against them.
  for (const Tick& tick : plan.ticks)
    canvas.fill(plan.x_of(tick.value, options), l.plot_y, 1, l.plot_height, kGrid);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const ChartBar& bar = bars[i];
    const int top = l.plot_y + static_cast<int>(i) * l.row_height;
    const int text_y = top + kBarPadding;
    const std::string label = shown(bar.label);
    canvas.text(l.plot_x - kLabelGap - text_length(label), text_y, label);
    canvas.text(l.plot_x + l.plot_width + kLabelGap, text_y, shown(bar.note));
    if (std::isnan(bar.value)) continue;
    const int end = plan.x_of(bar.value, options);
    canvas.fill(l.plot_x, top + kBarPadding, end - l.plot_x + 1, text, kBar);
  }
  canvas.outline(l.plot_x, l.plot_y, l.plot_width, l.plot_height);
}

void draw_value_axis(RgbCanvas& canvas, const Plan& plan, const BarChartOptions& options) {
  const BarChartLayout& l = plan.layout;
  const int text = text_thickness();
  const int tick_y = l.plot_y + l.plot_height + 1;
  const int label_y = tick_y + kTickLength + kTickLabelGap;
  for (const Tick& tick : plan.ticks) {
    const int x = plan.x_of(tick.value, options);
    canvas.fill(x, tick_y, 1, kTickLength, kInk);
    canvas.text(x - text_length(tick.label) / 2, label_y, tick.label);
  }
  const std::string title = fit_text(options.value_label, l.plot_width);
  canvas.text(l.plot_x + (l.plot_width - text_length(title)) / 2, label_y + text + kTitleGap,
              title);
}

void draw_reference(RgbCanvas& canvas, const Plan& plan, const BarChartOptions& options) {
  if (!has_reference(options)) return;
  const BarChartLayout& l = plan.layout;
  const int x =
      plan.x_of(std::clamp(options.reference_value, options.value_min, options.value_max), options);
  for (int y = l.plot_y; y < l.plot_y + l.plot_height; y += 2 * kReferenceDash)
    canvas.fill(x - 1, y, 2, std::min(kReferenceDash, l.plot_y + l.plot_height - y), kReference);
  const std::string label = fit_text(options.reference_label, l.width - 2 * kMargin);
  const int width = text_length(label);
  const int left = std::clamp(x - width / 2, kMargin, l.width - kMargin - width);
  canvas.text(left, l.plot_y - kTickLabelGap - text_thickness(), label, TextDirection::right,
              kReference);
}

void draw_titles(RgbCanvas& canvas, const Plan& plan, const BarChartOptions& options) {
  int y = kMargin;
  for (const std::string* line : {&options.title, &options.subtitle}) {
    if (line->empty()) continue;
    canvas.text(kMargin, y, fit_text(*line, plan.layout.width - 2 * kMargin));
    y += text_thickness() + kTitleGap;
  }
}

}  // namespace

BarChartLayout bar_chart_layout(std::span<const ChartBar> bars, const BarChartOptions& options) {
  return make_plan(bars, options).layout;
}

void write_bar_chart_png(const std::filesystem::path& path, std::span<const ChartBar> bars,
                         const BarChartOptions& options) {
  const Plan plan = make_plan(bars, options);
  RgbCanvas canvas(plan.layout.width, plan.layout.height);
  draw_titles(canvas, plan, options);
  draw_rows(canvas, bars, plan, options);
  draw_value_axis(canvas, plan, options);
  draw_reference(canvas, plan, options);
  write_png(path, canvas);
}

}  // namespace chorus::plot
