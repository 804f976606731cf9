#pragma once
// Audio clips of detections, to listen to and verify (chorus segments; BirdNET-Analyzer's
// segments tool): the best-scoring detections of each class in a detections table, each cut from
// its recording with some padding on either side, written as WAV at the recording's own rate
// (mono: channels averaged) under <out>/<class>/, with a table of what each clip is.

#include <filesystem>
#include <string>
#include <vector>

#include "formats/detections_table.hpp"

namespace chorus::infer {

struct SegmentOptions {
  double padding_seconds = 1.0;  // of audio before and after each detection (within the file)
  int max_per_class = 100;       // the highest-scoring detections of each class (0 = all)
  double min_score = 0;          // detections scoring less are left out
};

// The detections to cut: per class, those scoring at least min_score, the highest first, at
// most max_per_class (ties keep table order); classes in order of first appearance.
std::vector<formats::DetectionRow> choose_segments(const std::vector<formats::DetectionRow>& rows,
                                                   const SegmentOptions& options);

struct SegmentFailure {
  formats::DetectionRow detection;
  std::string message;
};

struct SegmentReport {
  std::size_t written = 0;
  std::vector<SegmentFailure> failures;  // recordings that could not be read
};

// Cuts `chosen` into <out>/<class>/<score>_<recording stem>_<start>-<end>s.wav (start and end of
// the clip, in the recording; a second clip of that name gets _2, …) and writes
// <out>/segments.csv: file, recording, class, score, start_s, end_s (the detection), clip_start_s,
// clip_end_s. A recording that cannot be read fails its clips, and the others go on. The clips an
// earlier run listed in <out>/segments.csv are removed first.
SegmentReport write_segments(const std::vector<formats::DetectionRow>& chosen,
                             const std::filesystem::path& out, const SegmentOptions& options);

}  // namespace chorus::infer
