#pragma once
// Labelled time spans (detections: a class, where it was heard, how sure the model was) drawn
// over a picture whose columns are time, such as the spectrogram image: an outlined box across
// the whole height in a colour per label, with the label and score on a tag at its top. Seeing
// the detections on the spectrogram is how a person checks what a model heard.

#include <cmath>
#include <span>
#include <string>

#include "plot/rgb_canvas.hpp"

namespace chorus::plot {

struct LabelledInterval {
  double start_seconds = 0, end_seconds = 0;  // finite, start < end
  std::string label;                          // intervals with the same label share a colour
  double score = NAN;                         // shown after the label; NaN: none
};

// The part of a picture where time runs left to right.
struct TimeAxisArea {
  int plot_x = 0, plot_y = 0;           // top-left pixel
  int plot_width = 0, plot_height = 0;  // pixels
  double start_seconds = 0;             // the time at the left edge of column plot_x
  double pixels_per_second = 1;
};

// Throws chorus::Error naming the interval when a time is not finite or start ≥ end, or a
// label is empty.
void check_intervals(std::span<const LabelledInterval> intervals);

// Draws each interval as a box over the pixel columns from plot_x + round((start − start_seconds)
// · pixels_per_second) up to, not including, the column of its end (at least one column), clipped
// to the area; intervals outside the area are skipped. Labels get the categorical colours in
// alphabetical order. Tags that would overlap move down a row; where the rows in the top half
// of the area run out, a box keeps its outline and colour but has no tag.
void draw_intervals(RgbCanvas& canvas, const TimeAxisArea& area,
                    std::span<const LabelledInterval> intervals);

}  // namespace chorus::plot
