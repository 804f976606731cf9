#pragma once
// Every output format of `chorus predict`, one writer each, all written atomically:
//   submission CSV   Kaggle: row_id + one column per class (in class order), a row per chunk;
//   Raven tables     selection tables (tab-separated) Raven Pro opens: one per recording, and
//                    one combined over all; each selection names its class (Species, the code,
//                    and Common Name), its file (Begin File, and Begin Path as given, as
//                    BirdNET-Analyzer's do) and File Offset (s);
//   Kaleidoscope CSV BirdNET-Analyzer's columns for Wildlife Acoustics Kaleidoscope: a row per
//                    detection, the file split into INDIR/FOLDER/IN FILE, the names;
//   Audacity labels  start<TAB>end<TAB>label lines, one file per recording;
//   detections       CSV and JSON: recording, class, start, end, score, channel (0: mixed);
//   species summary  CSV: per class, recordings and seconds with detections, the top score.
// Detections are DetectionEvents: chunks at or above the threshold, merged while consecutive.

#include <filesystem>
#include <string>
#include <vector>

#include "formats/species_names.hpp"
#include "infer/recording_scores.hpp"

namespace chorus::infer {

void write_submission(const std::filesystem::path& path, const std::vector<std::string>& classes,
                      const std::vector<RecordingScores>& recordings);

// The frequency band drawn for each selection (the model's mel range).
struct FrequencyBand {
  double low_hz = 0;
  double high_hz = 0;
};

// `names` gives each class's common name (where unknown: its code).
void write_raven_table(const std::filesystem::path& path, const std::vector<std::string>& classes,
                       const formats::SpeciesNames& names,
                       const std::vector<RecordingScores>& recordings,
                       const std::vector<DetectionEvent>& events, FrequencyBand band);

// Scientific and common names from `names`, the code where one is unknown.
void write_kaleidoscope_csv(const std::filesystem::path& path,
                            const std::vector<std::string>& classes,
                            const formats::SpeciesNames& names,
                            const std::vector<RecordingScores>& recordings,
                            const std::vector<DetectionEvent>& events);

void write_audacity_labels(const std::filesystem::path& path,
                           const std::vector<std::string>& classes,
                           const std::vector<DetectionEvent>& events, std::size_t recording);

void write_detections_csv(const std::filesystem::path& path,
                          const std::vector<std::string>& classes,
                          const std::vector<RecordingScores>& recordings,
                          const std::vector<DetectionEvent>& events);
void write_detections_json(const std::filesystem::path& path,
                           const std::vector<std::string>& classes,
                           const std::vector<RecordingScores>& recordings,
                           const std::vector<DetectionEvent>& events);

void write_species_summary(const std::filesystem::path& path,
                           const std::vector<std::string>& classes,
                           const std::vector<DetectionEvent>& events);

}  // namespace chorus::infer
