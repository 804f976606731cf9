// The spectrogram picture is checked by reading the PNG back with libpng: its size, where a
// known row lands, the colours at the ends of the map, and that bad input writes nothing.

#include "plot/spectrogram_image.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "features/mel_filterbank.hpp"
#include "plot/bitmap_font.hpp"
#include "plot/categorical_colours.hpp"
#include "support/png_picture.hpp"
#include "support/test_support.hpp"

namespace chorus::plot {

// Readable failure messages: "rgb(252, 253, 191)" rather than raw bytes.
void PrintTo(const Rgb& c, std::ostream* os) {
  *os << "rgb(" << int{c.r} << ", " << int{c.g} << ", " << int{c.b} << ")";
}

namespace {

namespace fs = std::filesystem;

// The ends of matplotlib's magma, the colour map the renderer promises.
constexpr Rgb kMagmaBottom{0x00, 0x00, 0x04};
constexpr Rgb kMagmaTop{0xfc, 0xfd, 0xbf};

constexpr int kBins = 128;
constexpr int kFrames = 300;
constexpr int kBrightBin = 100;  // a constant tone, whole clip long
constexpr float kQuiet = -80.0f, kLoud = 0.0f;

using testing::Picture;
using testing::read_png;

// Centre frequencies of HTK mel bands, 40–15000 Hz, as torchaudio places them.
std::vector<double> mel_centres(int n_mels) {
  const double low = features::hz_to_mel(40, features::MelScale::htk),
               high = features::hz_to_mel(15000, features::MelScale::htk);
  std::vector<double> hz(n_mels);
  for (int m = 0; m < n_mels; ++m)
    hz[m] =
        features::mel_to_hz(low + (high - low) * (m + 1) / (n_mels + 1), features::MelScale::htk);
  return hz;
}

// Quiet everywhere but a constant tone in kBrightBin and a rising diagonal (one bin per frame).
features::Spectrogram synthetic_spectrogram(int frames = kFrames) {
  features::Spectrogram spec(kBins, frames);
  std::fill(spec.values.begin(), spec.values.end(), kQuiet);
  for (int f = 0; f < frames; ++f) {
    spec.at(kBrightBin, f) = kLoud;
    spec.at(f % kBins, f) = kLoud;
  }
  return spec;
}

SpectrogramImageOptions mel_options() {
  SpectrogramImageOptions options;
  options.seconds_per_frame = 500.0 / 32000;
  options.bin_hz = mel_centres(kBins);
  options.title = "synthetic: a tone and a sweep";
  options.value_min = kQuiet;
  options.value_max = kLoud;
  return options;
}

// Top pixel row of spectrogram row `bin` (row 0 is drawn at the bottom).
int top_of_bin(const SpectrogramImageLayout& layout, int bin) {
  return layout.plot_y + layout.plot_height - (bin + 1) * layout.row_height;
}

bool is_ink(Rgb c) { return c.r < 100 && c.g < 100 && c.b < 100; }

class SpectrogramImageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("chorus_spectrogram_image_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  bool dir_is_empty() const { return fs::is_empty(dir_); }

  struct Rendered {
    SpectrogramImageLayout layout;
    Picture picture;
  };

  // Writes the picture, reads it back, and says where write_spectrogram_png put the plot.
  Rendered render(const features::Spectrogram& spec,
                  const SpectrogramImageOptions& options = mel_options()) const {
    const fs::path path = dir_ / "spectrogram.png";
    write_spectrogram_png(path, spec, options);
    return {spectrogram_image_layout(spec, options), read_png(path)};
  }

  fs::path dir_;
};

TEST_F(SpectrogramImageTest, ImageSizeFollowsTheLayout) {
  const auto [layout, picture] = render(synthetic_spectrogram());
  // 300 frames are stretched to two pixels each to reach the minimum width; 128 rows get the
  // minimum two pixels each.
  EXPECT_EQ(layout.frames_per_column, 1);
  EXPECT_EQ(layout.column_width, 2);
  EXPECT_EQ(layout.plot_width, 600);
  EXPECT_EQ(layout.row_height, 2);
  EXPECT_EQ(layout.plot_height, 256);
  // Room for axes on every side.
  EXPECT_GT(layout.plot_x, 0);
  EXPECT_GT(layout.plot_y, 0);
  EXPECT_GT(layout.width, layout.plot_x + layout.plot_width);
  EXPECT_GT(layout.height, layout.plot_y + layout.plot_height);
  EXPECT_EQ(picture.width, layout.width);
  EXPECT_EQ(picture.height, layout.height);
}

TEST_F(SpectrogramImageTest, LoudIsTheTopColourAndQuietTheBottom) {
  const auto [layout, picture] = render(synthetic_spectrogram());

  const int x = layout.plot_x + 150 * layout.column_width;  // frame 150: the sweep is at bin 22
  EXPECT_EQ(picture.at(x, top_of_bin(layout, kBrightBin)), kMagmaTop);
  EXPECT_EQ(picture.at(x, top_of_bin(layout, 60)), kMagmaBottom);
  EXPECT_EQ(picture.at(x, top_of_bin(layout, 150 % kBins)), kMagmaTop);
}

TEST_F(SpectrogramImageTest, LowFrequenciesAreAtTheBottom) {
  const auto [layout, picture] = render(synthetic_spectrogram());

  // In frame 260 (sweep at bin 4) the loud pixels are exactly the tone's two rows near the top
  // and the sweep's two rows near the bottom.
  const int x = layout.plot_x + 260 * layout.column_width;
  std::vector<int> loud_rows;
  for (int y = layout.plot_y; y < layout.plot_y + layout.plot_height; ++y)
    if (picture.at(x, y) == kMagmaTop) loud_rows.push_back(y);
  const int tone = top_of_bin(layout, kBrightBin), sweep = top_of_bin(layout, 4);
  EXPECT_EQ(loud_rows, (std::vector<int>{tone, tone + 1, sweep, sweep + 1}));
  EXPECT_EQ(sweep, layout.plot_y + layout.plot_height - 10);
}

TEST_F(SpectrogramImageTest, FrequencyTickSitsAtTheInterpolatedRow) {
  const auto [layout, picture] = render(synthetic_spectrogram());

  // 1 kHz always gets a tick (it is the roundest value in the band). Between mel centres the
  // position is interpolated linearly in Hz; mel spacing puts it well below the middle.
  const std::vector<double> hz = mel_centres(kBins);
  const auto above = std::upper_bound(hz.begin(), hz.end(), 1000.0);
  const auto below = above - 1;
  const double row = (below - hz.begin()) + (1000.0 - *below) / (*above - *below);
  const int y = static_cast<int>(
      std::lround(layout.plot_y + layout.plot_height - (row + 0.5) * layout.row_height));
  EXPECT_GT(y, layout.plot_y + layout.plot_height / 2);
  const int tick_x = layout.plot_x - 3;  // ticks point out of the frame to the left
  EXPECT_TRUE(is_ink(picture.at(tick_x, y - 1)) || is_ink(picture.at(tick_x, y)) ||
              is_ink(picture.at(tick_x, y + 1)))
      << "no tick within a pixel of y = " << y;
  // Between ticks the axis is blank.
  EXPECT_FALSE(is_ink(picture.at(tick_x, y - 8)));
  EXPECT_FALSE(is_ink(picture.at(tick_x, y + 8)));
}

TEST_F(SpectrogramImageTest, TimeTicksSitAtRoundSeconds) {
  SpectrogramImageOptions options = mel_options();
  options.start_seconds = 0.3;  // the axis starts between ticks
  const auto [layout, picture] = render(synthetic_spectrogram(), options);

  // 300 frames of 1/64 s cover 0.3–4.99 s; ticks point down out of the frame.
  const int tick_y = layout.plot_y + layout.plot_height + 3;
  const auto x_of = [&](double seconds) {
    return layout.plot_x +
           static_cast<int>(std::lround((seconds - options.start_seconds) /
                                        options.seconds_per_frame * layout.column_width));
  };
  for (double seconds : {1.0, 2.0, 3.0, 4.0})
    EXPECT_TRUE(is_ink(picture.at(x_of(seconds), tick_y))) << "no tick at " << seconds << " s";
  EXPECT_FALSE(is_ink(picture.at(x_of(0.3), tick_y))) << "0.3 s is not a round time";
  EXPECT_FALSE(is_ink(picture.at(x_of(1.75), tick_y))) << "ticks closer than half a second";
}

TEST_F(SpectrogramImageTest, LongSpectrogramKeepsTheMaximumOfEachGroup) {
  constexpr int kLongFrames = 5000;
  features::Spectrogram spec(kBins, kLongFrames);
  std::fill(spec.values.begin(), spec.values.end(), kQuiet);
  spec.at(kBrightBin, 4000) = kLoud;  // the middle of frames 3999–4001: neither first nor last
  const auto [layout, picture] = render(spec);

  EXPECT_EQ(layout.frames_per_column, 3);  // 5000 frames into at most 2400 columns
  EXPECT_EQ(layout.column_width, 1);
  EXPECT_EQ(layout.plot_width, 1667);
  const int y = top_of_bin(layout, kBrightBin);
  EXPECT_EQ(picture.at(layout.plot_x + 4000 / 3, y), kMagmaTop);
  EXPECT_EQ(picture.at(layout.plot_x + 4000 / 3 - 1, y), kMagmaBottom);
  EXPECT_EQ(picture.at(layout.plot_x + 4000 / 3 + 1, y), kMagmaBottom);
}

TEST_F(SpectrogramImageTest, FewBandsAndShortClipsAreEnlarged) {
  features::Spectrogram spec(4, 10);
  for (std::size_t i = 0; i < spec.values.size(); ++i) spec.values[i] = static_cast<float>(i);
  SpectrogramImageOptions options;
  options.seconds_per_frame = 0.01;
  options.bin_hz = {500, 1000, 2000, 4000};
  const auto [layout, picture] = render(spec, options);

  EXPECT_EQ(layout.row_height, 64);
  EXPECT_EQ(layout.plot_height, 256);
  EXPECT_EQ(layout.column_width, 60);
  EXPECT_EQ(layout.plot_width, 600);
  // Without value_min/value_max the data's range is used: the smallest value (bin 0,
  // frame 0) is the bottom colour and the largest (bin 3, frame 9) the top.
  EXPECT_EQ(picture.at(layout.plot_x, layout.plot_y + layout.plot_height - 1), kMagmaBottom);
  EXPECT_EQ(picture.at(layout.plot_x + layout.plot_width - 1, layout.plot_y), kMagmaTop);
}

TEST_F(SpectrogramImageTest, DetectionBoxesCoverTheirSecondsInTheirLabelsColour) {
  SpectrogramImageOptions options = mel_options();
  options.start_seconds = 0.5;  // a span starting half a second into the recording
  // 300 frames of 1/64 s at 2 pixels each: 128 pixels a second, 0.5–5.19 s.
  options.intervals = {{.start_seconds = 1.0, .end_seconds = 2.5, .label = "wren", .score = 0.93},
                       {.start_seconds = 4.0, .end_seconds = 6.0, .label = "robin", .score = 0.5},
                       {.start_seconds = 8.0, .end_seconds = 9.0, .label = "owl", .score = NAN}};
  const auto [layout, picture] = render(synthetic_spectrogram(), options);
  const int middle = layout.plot_y + layout.plot_height / 2;
  // Labels are coloured in alphabetical order: owl, robin, wren.
  const Rgb robin = categorical_colour(1), wren = categorical_colour(2);

  // wren: columns 64 (1.0 s) up to 256 (2.5 s), outlined two pixels wide, hollow.
  const int left = layout.plot_x + 64, right = layout.plot_x + 256;
  for (int x : {left, left + 1, right - 2, right - 1})
    EXPECT_EQ(picture.at(x, middle), wren) << "column " << x - layout.plot_x;
  for (int x : {left - 1, left + 2, (left + right) / 2, right - 3, right})
    EXPECT_NE(picture.at(x, middle), wren) << "column " << x - layout.plot_x;
  EXPECT_EQ(picture.at(left + 10, layout.plot_y + layout.plot_height - 1), wren);  // bottom edge
  // Its tag, at the top of the box, is its colour with the label written on it.
  EXPECT_EQ(picture.at(left + 1, layout.plot_y + 1), wren);
  int ink = 0;
  for (int x = left; x < left + text_length("wren 0.93"); ++x)
    for (int y = layout.plot_y; y < layout.plot_y + text_thickness(); ++y)
      ink += picture.at(x, y) != wren;
  EXPECT_GT(ink, 20) << "no text on the tag";

  // robin runs past the end of the picture: its right edge is the plot's.
  const int robin_left = layout.plot_x + 448;
  EXPECT_EQ(picture.at(robin_left, middle), robin);
  EXPECT_NE(picture.at(robin_left - 1, middle), robin);
  EXPECT_EQ(picture.at(layout.plot_x + layout.plot_width - 1, middle), robin);
  // owl lies after the span: drawn nowhere.
  for (int x = layout.plot_x; x < layout.plot_x + layout.plot_width; ++x)
    ASSERT_NE(picture.at(x, middle), categorical_colour(0)) << "column " << x - layout.plot_x;
}

TEST_F(SpectrogramImageTest, OverlappingTagsMoveDown) {
  SpectrogramImageOptions options = mel_options();
  options.intervals = {{.start_seconds = 1.0, .end_seconds = 2.0, .label = "a", .score = 0.9},
                       {.start_seconds = 1.0, .end_seconds = 2.0, .label = "b", .score = 0.8}};
  const auto [layout, picture] = render(synthetic_spectrogram(), options);
  const int x = layout.plot_x + 128 + 3;  // 1.0 s: inside both boxes, under both tags
  EXPECT_EQ(picture.at(x, layout.plot_y + 1), categorical_colour(0));
  EXPECT_EQ(picture.at(x, layout.plot_y + text_thickness() + 5), categorical_colour(1));
}

TEST_F(SpectrogramImageTest, BadInputThrowsAndWritesNothing) {
  const fs::path path = dir_ / "bad.png";
  const features::Spectrogram good = synthetic_spectrogram();
  const auto expect_rejected = [&](const features::Spectrogram& spec,
                                   const SpectrogramImageOptions& options, const char* what) {
    EXPECT_THROW(write_spectrogram_png(path, spec, options), chorus::Error) << what;
    EXPECT_TRUE(dir_is_empty()) << what;
  };

  expect_rejected(features::Spectrogram(), mel_options(), "empty spectrogram");
  expect_rejected(features::Spectrogram(kBins, 0), mel_options(), "no frames");

  SpectrogramImageOptions options = mel_options();
  options.bin_hz.pop_back();
  expect_rejected(good, options, "bin_hz one short");

  options = mel_options();
  std::swap(options.bin_hz[3], options.bin_hz[4]);
  expect_rejected(good, options, "bin_hz not ascending");

  for (double seconds_per_frame : {0.0, -0.015625, static_cast<double>(NAN)}) {
    options = mel_options();
    options.seconds_per_frame = seconds_per_frame;
    expect_rejected(good, options, "seconds_per_frame not positive");
  }

  options = mel_options();
  options.value_min = 0;
  options.value_max = -80;
  expect_rejected(good, options, "colour range upside down");

  features::Spectrogram all_nan(kBins, 10);
  std::fill(all_nan.values.begin(), all_nan.values.end(), NAN);
  options = mel_options();
  options.value_min = options.value_max = NAN;
  expect_rejected(all_nan, options, "no finite value to take the colour range from");

  for (const LabelledInterval& interval :
       {LabelledInterval{.start_seconds = 2, .end_seconds = 1, .label = "wren", .score = 1},
        LabelledInterval{.start_seconds = 1, .end_seconds = 1, .label = "wren", .score = 1},
        LabelledInterval{.start_seconds = NAN, .end_seconds = 1, .label = "wren", .score = 1},
        LabelledInterval{.start_seconds = 0, .end_seconds = 1, .label = "", .score = 1}}) {
    options = mel_options();
    options.intervals = {interval};
    expect_rejected(good, options, "an interval that is not a labelled, increasing span");
  }
  options = mel_options();
  options.intervals = {{.start_seconds = 2, .end_seconds = 1, .label = "wren", .score = 1}};
  EXPECT_EQ(testing::error_message([&] { write_spectrogram_png(path, good, options); }),
            "interval 0 ('wren') runs from 2 s to 1 s; expected finite times, start < end");
}

TEST_F(SpectrogramImageTest, MissingDirectoryThrowsAndLeavesNothingBehind) {
  const fs::path missing = dir_ / "no_such_directory";
  EXPECT_THROW(write_spectrogram_png(missing / "out.png", synthetic_spectrogram(), mel_options()),
               chorus::IoError);
  EXPECT_FALSE(fs::exists(missing));
  EXPECT_TRUE(dir_is_empty());
}

TEST_F(SpectrogramImageTest, RewritingReplacesTheFileWithoutLeftovers) {
  render(synthetic_spectrogram());
  const auto [layout, picture] = render(synthetic_spectrogram(3000));
  EXPECT_EQ(picture.width, layout.width);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

}  // namespace
}  // namespace chorus::plot
