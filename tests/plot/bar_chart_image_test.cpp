// The bar chart is checked by reading the PNG back: bar lengths along the value axis, the
// reference line, and that bad input writes nothing.

#include "plot/bar_chart_image.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "plot/bitmap_font.hpp"
#include "support/png_picture.hpp"
#include "support/test_support.hpp"

namespace chorus::plot {
namespace {

const std::vector<ChartBar> kBars = {
    {"crickets", 1.0, "1.000"},
    {"chirping_birds", 0.5, "0.500"},
    {"dog", NAN, "no positives"},
};

// How many pixels of the bar colour run right from the plot's left edge in the middle of row
// `row`; the bar colour is taken from the full-length first bar.
int bar_pixels(const testing::Picture& picture, const BarChartLayout& layout, int row) {
  const int y = layout.plot_y + row * layout.row_height + layout.row_height / 2;
  const int first_bar_y = layout.plot_y + layout.row_height / 2;
  const Rgb bar = picture.at(layout.plot_x, first_bar_y);
  int x = layout.plot_x;
  while (x < layout.plot_x + layout.plot_width && picture.at(x, y) == bar) ++x;
  return x - layout.plot_x;
}

TEST(BarChartImage, BarsRunAlongTheValueAxis) {
  testing::TempDir dir;
  BarChartOptions options;
  options.title = "Average precision per class";
  options.value_label = "average precision";
  write_bar_chart_png(dir / "bars.png", kBars, options);
  const BarChartLayout layout = bar_chart_layout(kBars, options);
  const testing::Picture picture = testing::read_png(dir / "bars.png");
  ASSERT_EQ(picture.width, layout.width);
  ASSERT_EQ(picture.height, layout.height);
  EXPECT_EQ(layout.plot_height, 3 * layout.row_height);
  EXPECT_GT(layout.plot_x, text_length("chirping_birds"));  // the longest label fits

  EXPECT_EQ(bar_pixels(picture, layout, 0), layout.plot_width);
  EXPECT_NEAR(bar_pixels(picture, layout, 1), layout.plot_width / 2, 1);
  EXPECT_EQ(bar_pixels(picture, layout, 2), 0);
}

TEST(BarChartImage, OverlongLabelsAreShortened) {
  const std::vector<ChartBar> bars = {{std::string(200, 'x'), 0.5, std::string(200, 'y')}};
  const BarChartLayout layout = bar_chart_layout(bars, {});
  EXPECT_LT(layout.plot_x, text_length(std::string(45, 'x')));
  EXPECT_LT(layout.width - layout.plot_x - layout.plot_width, text_length(std::string(45, 'y')));
}

TEST(BarChartImage, ReferenceLineCrossesEveryRow) {
  testing::TempDir dir;
  BarChartOptions options;
  options.reference_value = 0.25;
  options.reference_label = "mean 0.25";
  write_bar_chart_png(dir / "bars.png", kBars, options);
  const BarChartLayout layout = bar_chart_layout(kBars, options);
  const testing::Picture picture = testing::read_png(dir / "bars.png");
  // In the row without a bar, the column at 0.25 holds the line's warm colour somewhere.
  const int x = layout.plot_x + static_cast<int>(std::lround(0.25 * (layout.plot_width - 1)));
  bool found = false;
  for (int y = layout.plot_y + 2 * layout.row_height; y < layout.plot_y + layout.plot_height; ++y) {
    const Rgb c = picture.at(x, y);
    found = found || (c.r > 150 && c.b < 80);
  }
  EXPECT_TRUE(found) << "no reference line at x = " << x;
}

TEST(BarChartImage, BadInputThrowsAndWritesNothing) {
  testing::TempDir dir;
  const auto path = dir / "bars.png";
  const std::vector<ChartBar> none;
  EXPECT_EQ(testing::error_message([&] { write_bar_chart_png(path, none, {}); }),
            "bar chart: no bars to draw");
  const std::vector<ChartBar> too_long = {{"a", 1.5, ""}};
  EXPECT_EQ(testing::error_message([&] { write_bar_chart_png(path, too_long, {}); }),
            "bar chart: 'a' = 1.5 lies outside the value range [0, 1]");
  BarChartOptions reversed;
  reversed.value_min = 1;
  reversed.value_max = 0;
  EXPECT_EQ(testing::error_message([&] { write_bar_chart_png(path, kBars, reversed); }),
            "bar chart: the value range [1, 0] must be finite and increasing");
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

}  // namespace
}  // namespace chorus::plot
