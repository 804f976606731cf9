#include "plot/spectrogram_image.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "plot/axis_labels.hpp"
#include "plot/bitmap_font.hpp"
#include "plot/rgb_canvas.hpp"

namespace chorus::plot {
namespace {

// Sizes in pixels. The plot is at least kMinPlotHeight tall with rows of at least
// kMinRowHeight, so 128 mel bands get 2 px each and a few bands still make a readable picture;
// short clips are stretched by whole columns to about kMinPlotWidth.
constexpr int kMinRowHeight = 2;
constexpr int kMinPlotHeight = 256;
constexpr int kMinPlotWidth = 600;
constexpr int kMargin = 12;  // white border around everything
constexpr int kTickLength = 5;
constexpr int kLabelGap = 4;   // between a tick and its label
constexpr int kTitleGap = 10;  // between tick labels and an axis title
constexpr int kColourBarGap = 16;
constexpr int kColourBarWidth = 18;
constexpr int kMaxTimeTicks = 12;

// magma (van der Walt & Smith, matplotlib; CC0) at nine equally spaced points. Linear
// interpolation between them stays within a few levels of the 256-entry table, and magma
// keeps quiet background dark and calls bright, as bioacoustics papers print spectrograms.
constexpr std::array<Rgb, 9> kMagma = {{{0x00, 0x00, 0x04},
                                        {0x1c, 0x10, 0x44},
                                        {0x4f, 0x12, 0x7b},
                                        {0x81, 0x25, 0x81},
                                        {0xb5, 0x36, 0x7a},
                                        {0xe5, 0x50, 0x64},
                                        {0xfb, 0x87, 0x61},
                                        {0xfe, 0xc2, 0x87},
                                        {0xfc, 0xfd, 0xbf}}};

// t in [0, 1]; NaN (a missing value) is drawn as the bottom colour, like silence.
Rgb magma(double t) {
  if (!(t > 0)) return kMagma.front();
  const double x = std::min(t, 1.0) * (kMagma.size() - 1);
  const std::size_t i = std::min(static_cast<std::size_t>(x), kMagma.size() - 2);
  const double f = x - static_cast<double>(i);
  const auto mix = [f](std::uint8_t a, std::uint8_t b) {
    return static_cast<std::uint8_t>(std::lround(a + (b - a) * f));
  };
  return {mix(kMagma[i].r, kMagma[i + 1].r), mix(kMagma[i].g, kMagma[i + 1].g),
          mix(kMagma[i].b, kMagma[i + 1].b)};
}

// --- Input ---------------------------------------------------------------------------------

void check_input(const features::Spectrogram& spec, const SpectrogramImageOptions& options) {
  CHORUS_CHECK(spec.n_bins > 0 && spec.n_frames > 0,
               "spectrogram image: the spectrogram is empty ({} bins × {} frames)", spec.n_bins,
               spec.n_frames);
  CHORUS_CHECK(spec.values.size() == static_cast<std::size_t>(spec.n_bins) * spec.n_frames,
               "spectrogram image: {} values do not fill {} bins × {} frames", spec.values.size(),
               spec.n_bins, spec.n_frames);
  CHORUS_CHECK(options.bin_hz.size() == static_cast<std::size_t>(spec.n_bins),
               "spectrogram image: bin_hz has {} frequencies for {} bins", options.bin_hz.size(),
               spec.n_bins);
  const std::vector<double>& hz = options.bin_hz;
  for (std::size_t b = 0; b < hz.size(); ++b)
    CHORUS_CHECK(std::isfinite(hz[b]) && (b == 0 || hz[b] > hz[b - 1]),
                 "spectrogram image: bin_hz must be finite and ascending, but bin_hz[{}] = {}", b,
                 hz[b]);
  CHORUS_CHECK(options.seconds_per_frame > 0 && std::isfinite(options.seconds_per_frame),
               "spectrogram image: seconds_per_frame = {}, expected > 0",
               options.seconds_per_frame);
  CHORUS_CHECK(std::isfinite(options.start_seconds + spec.n_frames * options.seconds_per_frame),
               "spectrogram image: start_seconds = {} and {} frames of {} s do not make a "
               "finite time span",
               options.start_seconds, spec.n_frames, options.seconds_per_frame);
  CHORUS_CHECK(options.max_width >= 1, "spectrogram image: max_width = {}, expected ≥ 1",
               options.max_width);
  check_intervals(options.intervals);
}

struct ValueRange {
  double min = 0, max = 0;
  // Position of v in the range, 0 at min and 1 at max; a flat range maps everything to 0.
  double fraction(double v) const { return max > min ? (v - min) / (max - min) : 0.0; }
};

ValueRange value_range(const features::Spectrogram& spec, const SpectrogramImageOptions& options) {
  ValueRange data{std::numeric_limits<double>::infinity(),
                  -std::numeric_limits<double>::infinity()};
  for (float v : spec.values)
    if (std::isfinite(v)) data = {std::min<double>(data.min, v), std::max<double>(data.max, v)};
  const ValueRange range{std::isnan(options.value_min) ? data.min : options.value_min,
                         std::isnan(options.value_max) ? data.max : options.value_max};
  CHORUS_CHECK(std::isfinite(range.min) && std::isfinite(range.max),
               "spectrogram image: no colour range (value_min = {}, value_max = {}, and the "
               "spectrogram has no finite values to take the missing end from)",
               options.value_min, options.value_max);
  // Only a range the caller set can be wrong; one end taken from the data may meet the other
  // (a silent clip at the floor), which draws everything in the bottom colour.
  CHORUS_CHECK(!(options.value_min >= options.value_max),
               "spectrogram image: value_min = {} must be below value_max = {}", options.value_min,
               options.value_max);
  return range;
}

// Column `column` of the picture shows the maximum of its `group` frames (the last group may be
// shorter): a maximum, unlike a mean, keeps a short call in a long recording as bright as it
// was. NaNs are skipped.
float column_peak(const features::Spectrogram& spec, int bin, int column, int group) {
  float peak = NAN;
  for (int f = column * group; f < std::min(spec.n_frames, (column + 1) * group); ++f)
    peak = std::fmax(peak, spec.at(bin, f));
  return peak;
}

// --- Axes ----------------------------------------------------------------------------------

// A tick `offset` pixels along its axis from the plot's left (time) or bottom (frequency) edge.
struct Tick {
  double offset = 0;
  std::string label;
};

int longest_label(const std::vector<Tick>& ticks) {
  int longest = 0;
  for (const Tick& tick : ticks) longest = std::max(longest, text_length(tick.label));
  return longest;
}

// Adds `tick` unless its label would crowd one already there; callers add the most important
// ticks first, so those win the space.
void add_if_uncrowded(std::vector<Tick>& ticks, Tick tick) {
  const double min_spacing = 1.5 * text_thickness();
  const bool crowded = std::any_of(ticks.begin(), ticks.end(), [&](const Tick& t) {
    return std::abs(t.offset - tick.offset) < min_spacing;
  });
  if (!crowded) ticks.push_back(std::move(tick));
}

// Ticks at multiples of the smallest "nice" step that gives at most kMaxTimeTicks ticks whose
// labels do not touch; the 1-2-5 steps below a minute and whole minutes and hours above keep the
// labels easy to add up in one's head.
std::vector<Tick> time_ticks(double start, double end, double pixels_per_second) {
  static constexpr std::array kSteps = {0.001,  0.002,  0.005,   0.01,    0.02,    0.05,   0.1,
                                        0.2,    0.5,    1.0,     2.0,     5.0,     10.0,   15.0,
                                        30.0,   60.0,   120.0,   300.0,   600.0,   900.0,  1800.0,
                                        3600.0, 7200.0, 10800.0, 21600.0, 43200.0, 86400.0};
  const int min_spacing = text_thickness();
  double step = kSteps.front();
  for (std::size_t i = 0;; ++i) {
    // Past a day, keep doubling: a week-long recording still gets a readable axis.
    step = i < kSteps.size() ? kSteps[i] : 2 * step;
    // Counted in doubles: a start far from zero must not overflow an integer.
    const double first = std::ceil(start / step - 1e-9), last = std::floor(end / step + 1e-9);
    if (last - first + 1 > kMaxTimeTicks) continue;
    std::vector<Tick> ticks;
    for (double k = first; k <= last; ++k)
      ticks.push_back({(k * step - start) * pixels_per_second, format_multiple(k * step, step)});
    if (longest_label(ticks) + min_spacing <= step * pixels_per_second) return ticks;
  }
}

// "500", "1k", "1.5k", "15k": short labels keep the left margin narrow.
std::string format_hz(double hz) {
  return hz < 1000 ? fmt::format("{:g}", hz) : fmt::format("{:g}k", hz / 1000);
}

// Position of `hz` in rows (0 = centre of row 0) by interpolating between the centre
// frequencies around it; beyond the outer centres the outer spacing is extended. Mel (or any
// other) spacing is then drawn as it is, not as if it were linear.
double row_of(std::span<const double> bin_hz, double hz) {
  if (bin_hz.size() == 1) return hz == bin_hz[0] ? 0.0 : std::numeric_limits<double>::infinity();
  const auto upper = std::upper_bound(bin_hz.begin() + 1, bin_hz.end() - 1, hz);
  const auto i = static_cast<std::size_t>(upper - bin_hz.begin()) - 1;
  return static_cast<double>(i) + (hz - bin_hz[i]) / (bin_hz[i + 1] - bin_hz[i]);
}

// Round frequencies in order of preference: 0 Hz (the bottom of a linear spectrogram), powers
// of ten up to 100 kHz, 2 and 5 times them, then the in-betweens that fill out a tall axis.
const std::vector<double>& round_frequencies() {
  static const std::vector<double> hz = [] {
    const std::vector<std::vector<double>> preference = {
        {1}, {2, 5}, {3, 4, 8, 1.5}, {6, 7, 9, 2.5}};
    std::vector<double> out = {0};
    for (const auto& mantissas : preference)
      for (double decade = 1; decade <= 1e5; decade *= 10)
        for (double mantissa : mantissas) out.push_back(mantissa * decade);
    return out;
  }();
  return hz;
}

std::vector<Tick> frequency_ticks(std::span<const double> bin_hz, int row_height) {
  // A tick just outside the plot still marks the edge it sits on: 15 kHz, where the top
  // filter of a 40–15000 Hz mel bank ends, lands a pixel above the top row's edge.
  constexpr double kEdgeSlack = 2;
  const double plot_height = static_cast<double>(bin_hz.size()) * row_height;
  std::vector<Tick> ticks;
  for (double hz : round_frequencies()) {
    const double offset = (row_of(bin_hz, hz) + 0.5) * row_height;
    if (offset >= -kEdgeSlack && offset <= plot_height + kEdgeSlack)
      add_if_uncrowded(ticks, {std::clamp(offset, 0.0, plot_height), format_hz(hz)});
  }
  return ticks;
}

// The ends of the colour range, then round values between them that do not crowd the ends:
// a reader wants to know which colour is -40 dB, not only that the top is 45.2.
std::vector<Tick> colour_ticks(const ValueRange& range, int bar_height) {
  std::vector<Tick> ticks = {{0, format_value(range.min)}};
  if (!(range.max > range.min)) return ticks;
  const double top = bar_height - 1;
  add_if_uncrowded(ticks, {top, format_value(range.max)});
  // The 1-2-5 step that gives about five ticks.
  const double step = nice_step((range.max - range.min) / 5);
  for (double k = std::ceil(range.min / step); k * step <= range.max; ++k)
    add_if_uncrowded(ticks, {range.fraction(k * step) * top, format_multiple(k * step, step)});
  return ticks;
}

// --- Layout --------------------------------------------------------------------------------

// Everything decided before drawing: the layout and every label, because the margins are
// sized to the labels.
struct Plan {
  SpectrogramImageLayout layout;
  ValueRange range;
  std::vector<Tick> time_ticks, frequency_ticks;
  std::vector<Tick> colour_ticks;  // pixel rows up from the colour bar's bottom row
  double pixels_per_second = 0;    // along the time axis
};

Plan make_plan(const features::Spectrogram& spec, const SpectrogramImageOptions& options) {
  check_input(spec, options);
  Plan plan;
  plan.range = value_range(spec, options);
  SpectrogramImageLayout& l = plan.layout;
  l.frames_per_column = (spec.n_frames + options.max_width - 1) / options.max_width;
  const int columns = (spec.n_frames + l.frames_per_column - 1) / l.frames_per_column;
  l.column_width = std::max(1, (kMinPlotWidth + columns - 1) / columns);
  l.row_height = std::max(kMinRowHeight, (kMinPlotHeight + spec.n_bins - 1) / spec.n_bins);
  l.plot_width = columns * l.column_width;
  l.plot_height = spec.n_bins * l.row_height;

  plan.pixels_per_second = l.column_width / (l.frames_per_column * options.seconds_per_frame);
  plan.time_ticks = time_ticks(options.start_seconds,
                               options.start_seconds + spec.n_frames * options.seconds_per_frame,
                               plan.pixels_per_second);
  plan.frequency_ticks = frequency_ticks(options.bin_hz, l.row_height);
  plan.colour_ticks = colour_ticks(plan.range, l.plot_height);

  const int text = text_thickness();
  const int axis_title = text + kTitleGap;
  const int tick_label = 1 + kTickLength + kLabelGap;  // from the frame line to the label
  l.plot_x = kMargin + axis_title + longest_label(plan.frequency_ticks) + tick_label;
  // The top frequency label is centred on the plot's top edge, so half of it sticks out.
  l.plot_y = kMargin + (options.title.empty() ? 0 : axis_title) + text / 2;
  l.width = l.plot_x + l.plot_width + kColourBarGap + kColourBarWidth + tick_label +
            longest_label(plan.colour_ticks) + axis_title + kMargin;
  l.height = l.plot_y + l.plot_height + tick_label + text + axis_title + kMargin;
  return plan;
}

// --- Drawing -------------------------------------------------------------------------------

void draw_spectrogram(RgbCanvas& canvas, const features::Spectrogram& spec, const Plan& plan) {
  const SpectrogramImageLayout& l = plan.layout;
  const int bottom = l.plot_y + l.plot_height;
  const int columns = l.plot_width / l.column_width;
  for (int b = 0; b < spec.n_bins; ++b)
    for (int c = 0; c < columns; ++c) {
      const float value = column_peak(spec, b, c, l.frames_per_column);
      canvas.fill(l.plot_x + c * l.column_width, bottom - (b + 1) * l.row_height, l.column_width,
                  l.row_height, magma(plan.range.fraction(value)));
    }
  canvas.outline(l.plot_x, l.plot_y, l.plot_width, l.plot_height);
}

void draw_detections(RgbCanvas& canvas, const Plan& plan, const SpectrogramImageOptions& options) {
  const SpectrogramImageLayout& l = plan.layout;
  draw_intervals(canvas,
                 {.plot_x = l.plot_x,
                  .plot_y = l.plot_y,
                  .plot_width = l.plot_width,
                  .plot_height = l.plot_height,
                  .start_seconds = options.start_seconds,
                  .pixels_per_second = plan.pixels_per_second},
                 options.intervals);
}

void draw_time_axis(RgbCanvas& canvas, const Plan& plan) {
  const SpectrogramImageLayout& l = plan.layout;
  const int text = text_thickness();
  const int tick_y = l.plot_y + l.plot_height + 1;
  const int label_y = tick_y + kTickLength + kLabelGap;
  for (const Tick& tick : plan.time_ticks) {
    const int x = std::clamp(l.plot_x + static_cast<int>(std::lround(tick.offset)), l.plot_x,
                             l.plot_x + l.plot_width - 1);
    canvas.fill(x, tick_y, 1, kTickLength, kInk);
    canvas.text(x - text_length(tick.label) / 2, label_y, tick.label);
  }
  const std::string_view title = "time (s)";
  canvas.text(l.plot_x + (l.plot_width - text_length(title)) / 2, label_y + text + kTitleGap,
              title);
}

void draw_frequency_axis(RgbCanvas& canvas, const Plan& plan) {
  const SpectrogramImageLayout& l = plan.layout;
  const int text = text_thickness();
  const int tick_x = l.plot_x - 1 - kTickLength;
  for (const Tick& tick : plan.frequency_ticks) {
    const int y = std::clamp(static_cast<int>(std::lround(l.plot_y + l.plot_height - tick.offset)),
                             l.plot_y, l.plot_y + l.plot_height - 1);
    canvas.fill(tick_x, y, kTickLength, 1, kInk);
    canvas.text(tick_x - kLabelGap - text_length(tick.label), y - text / 2, tick.label);
  }
  const std::string title = fit_text("frequency (Hz)", l.plot_height);
  canvas.text(kMargin, l.plot_y + (l.plot_height - text_length(title)) / 2, title,
              TextDirection::up);
}

// A vertical bar of the colour map beside the plot, the same height, with its ticks.
void draw_colour_bar(RgbCanvas& canvas, const Plan& plan, const std::string& value_label) {
  const SpectrogramImageLayout& l = plan.layout;
  const int text = text_thickness();
  const int x = l.plot_x + l.plot_width + kColourBarGap;
  const int bottom = l.plot_y + l.plot_height - 1;
  for (int row = 0; row < l.plot_height; ++row)
    canvas.fill(x, bottom - row, kColourBarWidth, 1,
                magma(l.plot_height > 1 ? static_cast<double>(row) / (l.plot_height - 1) : 1.0));
  canvas.outline(x, l.plot_y, kColourBarWidth, l.plot_height);
  const int tick_x = x + kColourBarWidth + 1;
  const int label_x = tick_x + kTickLength + kLabelGap;
  for (const Tick& tick : plan.colour_ticks) {
    const int y = bottom - static_cast<int>(std::lround(tick.offset));
    canvas.fill(tick_x, y, kTickLength, 1, kInk);
    canvas.text(label_x, y - text / 2, tick.label);
  }
  const std::string title = fit_text(value_label, l.plot_height);
  canvas.text(label_x + longest_label(plan.colour_ticks) + kTitleGap,
              l.plot_y + (l.plot_height - text_length(title)) / 2, title, TextDirection::up);
}

void draw_title(RgbCanvas& canvas, const Plan& plan, const std::string& title) {
  if (title.empty()) return;
  const SpectrogramImageLayout& l = plan.layout;
  const std::string shown = fit_text(title, l.width - 2 * kMargin);
  // Centred over the plot, shifted only as far as it must to stay inside the picture.
  const int centred = l.plot_x + (l.plot_width - text_length(shown)) / 2;
  canvas.text(std::clamp(centred, kMargin, l.width - kMargin - text_length(shown)), kMargin, shown);
}

}  // namespace

SpectrogramImageLayout spectrogram_image_layout(const features::Spectrogram& spec,
                                                const SpectrogramImageOptions& options) {
  return make_plan(spec, options).layout;
}

void write_spectrogram_png(const std::filesystem::path& path, const features::Spectrogram& spec,
                           const SpectrogramImageOptions& options) {
  const Plan plan = make_plan(spec, options);
  RgbCanvas canvas(plan.layout.width, plan.layout.height);
  draw_title(canvas, plan, options.title);
  draw_spectrogram(canvas, spec, plan);
  draw_detections(canvas, plan, options);
  draw_time_axis(canvas, plan);
  draw_frequency_axis(canvas, plan);
  draw_colour_bar(canvas, plan, options.value_label);
  write_png(path, canvas);
}

}  // namespace chorus::plot
