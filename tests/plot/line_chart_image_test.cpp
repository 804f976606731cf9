// The line chart is checked by reading the PNG back: panels stacked with a shared x axis,
// each series' colour where its points are, gaps at NaN, lone points as markers, the legend,
// round axis ranges, and that bad input writes nothing.

#include "plot/line_chart_image.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "plot/bitmap_font.hpp"
#include "plot/categorical_colours.hpp"
#include "support/png_picture.hpp"
#include "support/test_support.hpp"

namespace chorus::plot {
namespace {

// matplotlib's tab10, the order series are coloured in.
constexpr Rgb kBlue{0x1f, 0x77, 0xb4}, kOrange{0xff, 0x7f, 0x0e}, kGreen{0x2c, 0xa0, 0x2c};

// Loss over five epochs in one panel; validation ROC-AUC (missing at epoch 2, so epoch 1
// stands alone) and its EMA in a 0–1 panel.
std::vector<LineChart> training_curves() {
  LineChart loss{.title = "loss", .y_label = "BCE", .series = {}};
  loss.series.push_back({"train loss", {{1, 0.9}, {2, 0.5}, {3, 0.35}, {4, 0.3}, {5, 0.28}}});
  LineChart metrics{
      .title = "validation", .y_label = "ROC-AUC", .series = {}, .y_min = 0, .y_max = 1};
  metrics.series.push_back({"ROC-AUC", {{1, 0.6}, {2, NAN}, {3, 0.8}, {4, 0.85}, {5, 0.9}}});
  metrics.series.push_back({"EMA ROC-AUC", {{3, 0.7}, {4, 0.75}, {5, 0.8}}});
  return {loss, metrics};
}

// The pixel of (x, y) by the mapping the layout documents, worked out here from its fields.
int column(const LineChartPanelLayout& p, double x) {
  const double span = p.plot_width - 1 - 2 * p.inset;
  return p.plot_x + p.inset +
         static_cast<int>(std::lround((x - p.x_min) / (p.x_max - p.x_min) * span));
}
int row(const LineChartPanelLayout& p, double y) {
  const double span = p.plot_height - 1 - 2 * p.inset;
  return p.plot_y + p.plot_height - 1 - p.inset -
         static_cast<int>(std::lround((y - p.y_min) / (p.y_max - p.y_min) * span));
}

// Whether `colour` is within a pixel of (x, y): lines are two pixels wide.
bool near(const testing::Picture& picture, int x, int y, Rgb colour) {
  for (int dy = -1; dy <= 1; ++dy)
    for (int dx = -1; dx <= 1; ++dx)
      if (picture.at(x + dx, y + dy) == colour) return true;
  return false;
}

struct Rendered {
  LineChartLayout layout;
  testing::Picture picture;
};

Rendered render(const testing::TempDir& dir, const std::vector<LineChart>& panels,
                const LineChartOptions& options = {.title = "training", .x_label = "epoch"}) {
  write_line_charts_png(dir / "curves.png", panels, options);
  return {line_chart_layout(panels, options), testing::read_png(dir / "curves.png")};
}

TEST(LineChartImage, PanelsStackWithASharedXAxis) {
  testing::TempDir dir;
  const auto [layout, picture] = render(dir, training_curves());
  ASSERT_EQ(picture.width, layout.width);
  ASSERT_EQ(picture.height, layout.height);
  ASSERT_EQ(layout.panels.size(), 2u);
  const LineChartPanelLayout &top = layout.panels[0], &bottom = layout.panels[1];
  EXPECT_EQ(top.plot_x, bottom.plot_x);
  EXPECT_EQ(top.plot_width, bottom.plot_width);
  EXPECT_GT(bottom.plot_y,
            top.plot_y + top.plot_height + 2 * text_thickness());  // tick labels, title
  EXPECT_GT(top.plot_x, text_length("0.80"));                      // y tick labels fit on the left
  EXPECT_GT(top.legend_x, top.plot_x + top.plot_width);
  EXPECT_LE(top.legend_x + text_length("EMA ROC-AUC"), layout.width);
  EXPECT_GT(layout.height, bottom.plot_y + bottom.plot_height + 2 * text_thickness());  // x title

  // Epochs 1–5 are the plot's edges; the loss axis is widened to round ticks, the given 0–1 kept.
  EXPECT_EQ(top.x_min, 1);
  EXPECT_EQ(top.x_max, 5);
  EXPECT_EQ(bottom.x_min, 1);
  EXPECT_EQ(bottom.x_max, 5);
  EXPECT_DOUBLE_EQ(top.y_min, 0.2);
  EXPECT_DOUBLE_EQ(top.y_max, 1.0);
  EXPECT_EQ(bottom.y_min, 0);
  EXPECT_EQ(bottom.y_max, 1);
}

TEST(LineChartImage, EachSeriesIsDrawnInItsColourThroughItsPoints) {
  testing::TempDir dir;
  const auto [layout, picture] = render(dir, training_curves());
  const LineChartPanelLayout &loss = layout.panels[0], &metrics = layout.panels[1];
  for (const auto& [x, y] : std::vector<std::pair<double, double>>{{1, 0.9}, {2, 0.5}, {4, 0.3}})
    EXPECT_TRUE(near(picture, column(loss, x), row(loss, y), kBlue)) << "loss at epoch " << x;
  // Halfway between epochs 3 and 4 the line is halfway between their values.
  EXPECT_TRUE(near(picture, column(loss, 3.5), row(loss, 0.325), kBlue));
  // Colours count on across panels: the second panel's series are orange and green.
  EXPECT_TRUE(near(picture, column(metrics, 4), row(metrics, 0.85), kOrange));
  EXPECT_TRUE(near(picture, column(metrics, 4), row(metrics, 0.75), kGreen));
  EXPECT_FALSE(near(picture, column(metrics, 4), row(metrics, 0.5), kOrange));
  // Each legend row starts with a swatch of its series' colour.
  for (std::size_t i = 0; i < 2; ++i) {
    const int y =
        metrics.legend_y + static_cast<int>(i) * metrics.legend_row_height + text_thickness() / 2;
    EXPECT_EQ(picture.at(metrics.legend_x + 5, y), categorical_colour(1 + i)) << "legend row " << i;
  }
}

TEST(LineChartImage, NaNLeavesAGapAndALonePointIsAMarker) {
  testing::TempDir dir;
  const auto [layout, picture] = render(dir, training_curves());
  const LineChartPanelLayout& metrics = layout.panels[1];
  // Epoch 1 (0.6) has no neighbour with a value: nothing of its colour on the way to epoch 3.
  for (double x = 1.5; x <= 2.5; x += 0.25)
    for (int y = metrics.plot_y; y < metrics.plot_y + metrics.plot_height; ++y)
      ASSERT_NE(picture.at(column(metrics, x), y), kOrange) << "a line through the gap at " << x;
  // ... but a marker several pixels across at the point itself.
  const int x = column(metrics, 1), y = row(metrics, 0.6);
  EXPECT_EQ(picture.at(x + 3, y), kOrange);
  EXPECT_EQ(picture.at(x, y - 3), kOrange);
  EXPECT_NE(picture.at(x, y - 6), kOrange);
}

TEST(LineChartImage, PointsOutsideAGivenRangeAreClippedAtTheEdge) {
  testing::TempDir dir;
  LineChart chart{.title = "clipped", .y_label = "", .series = {}, .y_min = 0, .y_max = 1};
  chart.series.push_back({"over", {{0, 0.5}, {1, 2.0}, {2, 0.5}}});
  // Far outside: the line is cut at the edge before it is drawn, or this would take minutes.
  chart.series.push_back({"far over", {{0, 0.1}, {2, 1e12}}});
  const auto [layout, picture] = render(dir, {chart});
  const LineChartPanelLayout& p = layout.panels[0];
  // The line from 0.5 to 2.0 leaves through the top edge a third of the way along ...
  EXPECT_TRUE(near(picture, column(p, 0.25), row(p, 0.875), kBlue));
  EXPECT_TRUE(near(picture, column(p, 1.0 / 3), row(p, 1.0), kBlue));
  // ... and is not drawn above the plot, where the frame and paper are.
  for (int y = p.plot_y - 6; y < p.plot_y; ++y)
    EXPECT_NE(picture.at(column(p, 0.5), y), kBlue) << "row " << y;
  EXPECT_TRUE(near(picture, column(p, 0), row(p, 0.1), kOrange));
}

TEST(LineChartImage, ASinglePointGetsRoomAroundIt) {
  const std::vector<LineChart> one = {
      {.title = "", .y_label = "", .series = {{"loss", {{1, 0.7}}}}}};
  const LineChartLayout layout = line_chart_layout(one, {});
  const LineChartPanelLayout& p = layout.panels[0];
  EXPECT_LT(p.x_min, 1);
  EXPECT_GT(p.x_max, 1);
  EXPECT_LT(p.y_min, 0.7);
  EXPECT_GT(p.y_max, 0.7);
}

TEST(LineChartImage, BadInputThrowsAndWritesNothing) {
  testing::TempDir dir;
  const auto path = dir / "curves.png";
  const auto message = [&](std::vector<LineChart> panels) {
    return testing::error_message([&] { write_line_charts_png(path, panels, {}); });
  };
  EXPECT_EQ(message({}), "line chart: no panels to draw");
  EXPECT_EQ(message({{.title = "loss", .y_label = "", .series = {}}}),
            "line chart: panel 'loss' has no series");
  EXPECT_EQ(message({{.title = "loss", .y_label = "", .series = {{"train", {}}}}}),
            "line chart: series 'train' has no points");
  EXPECT_EQ(message({{.title = "", .y_label = "", .series = {{"train", {{1, 0.5}, {1, 0.4}}}}}}),
            "line chart: series 'train' point 1: x = 1 does not increase (after 1)");
  EXPECT_EQ(message({{.title = "", .y_label = "", .series = {{"train", {{NAN, 0.5}}}}}}),
            "line chart: series 'train' point 0: x = nan is not finite");
  EXPECT_EQ(message({{.title = "", .y_label = "", .series = {{"train", {{1, INFINITY}}}}}}),
            "line chart: series 'train' point 0: y = inf is infinite");
  EXPECT_EQ(message({{.title = "auc", .y_label = "", .series = {{"val", {{1, NAN}, {2, NAN}}}}}}),
            "line chart: panel 'auc' has no finite y values to take its range from");
  const std::vector<LineSeries> fine = {{"val", {{1, 0.5}}}};
  EXPECT_EQ(
      message({{.title = "auc", .y_label = "", .series = fine, .y_min = 0, .y_max = INFINITY}}),
      "line chart: panel 'auc': the y range [0, inf] must be finite and increasing");
  EXPECT_EQ(message({{.title = "auc", .y_label = "", .series = fine, .y_min = 1, .y_max = 0}}),
            "line chart: panel 'auc': the y range [1, 0] must be finite and increasing");
  EXPECT_EQ(message({{.title = "auc", .y_label = "", .series = fine, .y_min = 0}}),
            "line chart: panel 'auc': the y range [0, nan] must be finite and increasing");
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

}  // namespace
}  // namespace chorus::plot
