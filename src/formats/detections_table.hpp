#pragma once
// The detections table `chorus predict` writes (detections.csv: recording, class, start_s,
// end_s, score; one row per event), read back to draw the detections of one recording on its
// spectrogram (`chorus mel --detections`).

#include <filesystem>
#include <string>
#include <vector>

namespace chorus::formats {

struct DetectionRow {
  std::string recording;  // the audio file as prediction was given it
  std::string cls;
  double start_seconds = 0, end_seconds = 0;  // 0 ≤ start < end
  double score = 0;
  int line = 0;  // physical line in the file, for messages
};

// Throws FormatError naming the file and line for a missing column, a ragged row, an empty
// recording or class, a time or score that is not a finite number, a negative start or an end
// not after its start.
std::vector<DetectionRow> read_detections_csv(const std::filesystem::path& path);

// The rows of `audio_file`: those whose recording is the same file (resolved from the current
// directory); when none is, those whose recording has the same file name, so a table written
// from another directory still serves. Throws Error when that file name belongs to more than
// one recording of the table, since their detections cannot be told apart.
std::vector<DetectionRow> detections_of(const std::vector<DetectionRow>& rows,
                                        const std::filesystem::path& audio_file,
                                        const std::filesystem::path& table_path);

}  // namespace chorus::formats
