#include "plot/interval_overlay.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "plot/bitmap_font.hpp"
#include "plot/categorical_colours.hpp"

namespace chorus::plot {
namespace {

constexpr int kBoxLine = 2;     // outline width, pixels: one pixel vanishes against magma
constexpr int kTagPadding = 2;  // around the tag's text, pixels

// Ink on light tags and paper on dark ones, by the luma of ITU-R BT.601.
Rgb text_colour_on(Rgb background) {
  const double luma = 0.299 * background.r + 0.587 * background.g + 0.114 * background.b;
  return luma > 140 ? kInk : kPaper;
}

std::string tag_text(const LabelledInterval& interval) {
  return std::isnan(interval.score) ? interval.label
                                    : fmt::format("{} {:.2f}", interval.label, interval.score);
}

// Pixel columns [left, right) of an interval, clipped to the area; empty when outside it.
struct Columns {
  int left = 0, right = 0;
};

Columns columns_of(const TimeAxisArea& area, const LabelledInterval& interval) {
  // Clamped in doubles first: a time far outside the area must not overflow an int.
  const auto column = [&](double seconds) {
    const double offset = (seconds - area.start_seconds) * area.pixels_per_second;
    return area.plot_x + static_cast<int>(std::lround(
                             std::clamp(offset, -1.0, static_cast<double>(area.plot_width) + 1)));
  };
  const int left = column(interval.start_seconds);
  const int right = std::max(column(interval.end_seconds), left + 1);
  return {std::max(left, area.plot_x), std::min(right, area.plot_x + area.plot_width)};
}

void draw_box(RgbCanvas& canvas, const TimeAxisArea& area, Columns c, Rgb colour) {
  const int width = c.right - c.left;
  if (width <= 2 * kBoxLine) {  // too narrow for an outline with a hole: a solid bar
    canvas.fill(c.left, area.plot_y, width, area.plot_height, colour);
    return;
  }
  canvas.fill(c.left, area.plot_y, kBoxLine, area.plot_height, colour);
  canvas.fill(c.right - kBoxLine, area.plot_y, kBoxLine, area.plot_height, colour);
  canvas.fill(c.left, area.plot_y, width, kBoxLine, colour);
  canvas.fill(c.left, area.plot_y + area.plot_height - kBoxLine, width, kBoxLine, colour);
}

}  // namespace

void check_intervals(std::span<const LabelledInterval> intervals) {
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    const LabelledInterval& interval = intervals[i];
    CHORUS_CHECK(std::isfinite(interval.start_seconds) && std::isfinite(interval.end_seconds) &&
                     interval.start_seconds < interval.end_seconds,
                 "interval {} ('{}') runs from {} s to {} s; expected finite times, start < end", i,
                 interval.label, interval.start_seconds, interval.end_seconds);
    CHORUS_CHECK(!interval.label.empty(), "interval {} ({} s to {} s) has no label", i,
                 interval.start_seconds, interval.end_seconds);
  }
}

void draw_intervals(RgbCanvas& canvas, const TimeAxisArea& area,
                    std::span<const LabelledInterval> intervals) {
  check_intervals(intervals);
  std::map<std::string, Rgb> colours;
  for (const LabelledInterval& interval : intervals) colours[interval.label];
  std::size_t index = 0;
  for (auto& [label, colour] : colours) colour = categorical_colour(index++);

  // Boxes in time order, then every tag over all boxes, so no box hides a tag.
  std::vector<std::size_t> order(intervals.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return intervals[a].start_seconds < intervals[b].start_seconds;
  });
  for (std::size_t i : order) {
    const Columns c = columns_of(area, intervals[i]);
    if (c.right > c.left) draw_box(canvas, area, c, colours[intervals[i].label]);
  }

  const int tag_height = text_thickness() + 2 * kTagPadding;
  const int max_lanes = std::max(1, area.plot_height / 2 / tag_height);
  std::vector<int> lane_end;  // the first free pixel column of each row of tags
  for (std::size_t i : order) {
    const Columns c = columns_of(area, intervals[i]);
    if (c.right <= c.left) continue;
    const std::string text = fit_text(tag_text(intervals[i]), area.plot_width - 2 * kTagPadding);
    const int width = text_length(text) + 2 * kTagPadding;
    // A tag wider than its box runs on to the right, but stays inside the area.
    const int x = std::max(area.plot_x, std::min(c.left, area.plot_x + area.plot_width - width));
    std::size_t lane = 0;
    while (lane < lane_end.size() && lane_end[lane] > x) ++lane;
    if (lane == lane_end.size()) {
      if (static_cast<int>(lane) == max_lanes) continue;
      lane_end.push_back(0);
    }
    lane_end[lane] = x + width + 1;
    const Rgb colour = colours[intervals[i].label];
    const int y = area.plot_y + static_cast<int>(lane) * tag_height;
    canvas.fill(x, y, width, tag_height, colour);
    canvas.text(x + kTagPadding, y + kTagPadding, text, TextDirection::right,
                text_colour_on(colour));
  }
}

}  // namespace chorus::plot
