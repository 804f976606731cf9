#pragma once
// A spectrogram as a picture for people: magma colours, low frequencies at the bottom, a time
// axis and a frequency axis with round tick values, a colour bar and a title. For looking at
// features, clips and detections; numbers for programs go to .npy instead.

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "features/spectrogram.hpp"
#include "plot/interval_overlay.hpp"

namespace chorus::plot {

struct SpectrogramImageOptions {
  double start_seconds = 0;      // time of frame 0, for the time axis labels
  double seconds_per_frame = 0;  // hop_length / sample_rate; must be > 0
  // Centre frequency (Hz) of each spectrogram row, ascending; size == n_bins. Frequency ticks
  // are placed by interpolating these, so any spacing (mel, linear, log) is drawn right.
  std::vector<double> bin_hz;
  std::string title;                        // drawn above the plot (file name, settings)
  std::string value_label = "dB";           // label of the colour bar
  double value_min = NAN, value_max = NAN;  // colour range; NaN: the data's finite min / max
  // Most plot columns; longer spectrograms are reduced by taking the maximum over groups of
  // frames, so a short loud call stays visible in an hour-long recording.
  int max_width = 2400;
  // Labelled time spans (detections) drawn over the plot as boxes across all frequencies, in
  // seconds on the same clock as start_seconds; see draw_intervals.
  std::vector<LabelledInterval> intervals;
};

// Where the parts of the picture land, for callers that draw over it and for tests.
struct SpectrogramImageLayout {
  int width = 0, height = 0;            // the whole picture, pixels
  int plot_x = 0, plot_y = 0;           // top-left pixel of the spectrogram area
  int plot_width = 0, plot_height = 0;  // pixels
  int frames_per_column = 1;            // > 1 when reduced to fit max_width
  int column_width = 1;                 // pixels per column, > 1 when a short clip is stretched
  int row_height = 1;                   // pixels per spectrogram row
};

// The layout write_spectrogram_png would use. Throws chorus::Error on bad input.
SpectrogramImageLayout spectrogram_image_layout(const features::Spectrogram& spec,
                                                const SpectrogramImageOptions& options);

// Renders `spec` (row 0 = lowest frequency) and writes it as an 8-bit RGB PNG, atomically.
// Bad input (an empty spectrogram, bin_hz not matching the rows or not ascending,
// seconds_per_frame ≤ 0, an empty colour range, an interval that is not a finite, increasing
// span or has no label) throws chorus::Error; a file that cannot be
// written throws chorus::IoError and leaves nothing behind.
void write_spectrogram_png(const std::filesystem::path& path, const features::Spectrogram& spec,
                           const SpectrogramImageOptions& options);

}  // namespace chorus::plot
