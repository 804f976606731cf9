#include "infer/output_writers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/atomic_file.hpp"
#include "formats/csv_table.hpp"

namespace chorus::infer {
namespace {

// Scores with 6 significant digits: the precision float32 carries, without noise digits.
std::string score_text(float v) { return fmt::format("{:.6g}", v); }
std::string seconds_text(double s) { return fmt::format("{:.3f}", s); }

}  // namespace

void write_submission(const std::filesystem::path& path, const std::vector<std::string>& classes,
                      const std::vector<RecordingScores>& recordings) {
  std::vector<std::string> header = {"row_id"};
  header.insert(header.end(), classes.begin(), classes.end());
  std::vector<std::vector<std::string>> rows;
  for (const RecordingScores& rec : recordings)
    for (std::size_t i = 0; i < rec.chunks.size(); ++i) {
      std::vector<std::string> row = {rec.chunks[i].row_id};
      for (float v : rec.scores.row(i)) row.push_back(score_text(v));
      rows.push_back(std::move(row));
    }
  formats::write_csv(path, header, rows);
}

void write_raven_table(const std::filesystem::path& path, const std::vector<std::string>& classes,
                       const formats::SpeciesNames& names,
                       const std::vector<RecordingScores>& recordings,
                       const std::vector<DetectionEvent>& events, FrequencyBand band) {
  // Raven counts Begin Time from the start of the first file of the table; each selection also
  // names its own file and the offset in it, so one table can span a folder of recordings.
  std::vector<double> file_start(recordings.size(), 0.0);
  for (std::size_t r = 1; r < recordings.size(); ++r)
    file_start[r] = file_start[r - 1] + recordings[r - 1].duration_seconds;
  std::vector<std::vector<std::string>> rows;
  for (const DetectionEvent& e : events) {
    const RecordingScores& rec = recordings[e.recording];
    // Raven's channels count from 1; a mix of the channels is shown on the first.
    rows.push_back({std::to_string(rows.size() + 1), "Spectrogram 1",
                    std::to_string(std::max(rec.channel, 1)),
                    seconds_text(file_start[e.recording] + e.start_seconds),
                    seconds_text(file_start[e.recording] + e.end_seconds),
                    fmt::format("{:.1f}", band.low_hz), fmt::format("{:.1f}", band.high_hz),
                    classes[e.cls], names.common_or(e.cls, classes[e.cls]), score_text(e.score),
                    std::filesystem::path(rec.path).filename().string(), rec.path,
                    seconds_text(e.start_seconds)});
  }
  formats::write_csv(path,
                     {"Selection", "View", "Channel", "Begin Time (s)", "End Time (s)",
                      "Low Freq (Hz)", "High Freq (Hz)", "Species", "Common Name", "Score",
                      "Begin File", "Begin Path", "File Offset (s)"},
                     rows, '\t');
}

void write_kaleidoscope_csv(const std::filesystem::path& path,
                            const std::vector<std::string>& classes,
                            const formats::SpeciesNames& names,
                            const std::vector<RecordingScores>& recordings,
                            const std::vector<DetectionEvent>& events) {
  std::vector<std::vector<std::string>> rows;
  for (const DetectionEvent& e : events) {
    // As BirdNET-Analyzer splits a path: the file's folder, and the folder that holds it.
    const std::filesystem::path file(recordings[e.recording].path);
    const std::filesystem::path folder = file.parent_path();
    rows.push_back({folder.parent_path().string(), folder.filename().string(),
                    file.filename().string(), seconds_text(e.start_seconds),
                    seconds_text(e.end_seconds - e.start_seconds),
                    names.scientific_or(e.cls, classes[e.cls]),
                    names.common_or(e.cls, classes[e.cls]), score_text(e.score)});
  }
  formats::write_csv(path,
                     {"INDIR", "FOLDER", "IN FILE", "OFFSET", "DURATION", "scientific_name",
                      "common_name", "confidence"},
                     rows);
}

void write_audacity_labels(const std::filesystem::path& path,
                           const std::vector<std::string>& classes,
                           const std::vector<DetectionEvent>& events, std::size_t recording) {
  std::string text;
  for (const DetectionEvent& e : events)
    if (e.recording == recording)
      text += fmt::format("{:.3f}\t{:.3f}\t{} {:.3f}\n", e.start_seconds, e.end_seconds,
                          classes[e.cls], e.score);
  core::write_file_atomically(path, text);
}

void write_detections_csv(const std::filesystem::path& path,
                          const std::vector<std::string>& classes,
                          const std::vector<RecordingScores>& recordings,
                          const std::vector<DetectionEvent>& events) {
  std::vector<std::vector<std::string>> rows;
  for (const DetectionEvent& e : events)
    rows.push_back({recordings[e.recording].path, classes[e.cls], seconds_text(e.start_seconds),
                    seconds_text(e.end_seconds), score_text(e.score),
                    std::to_string(recordings[e.recording].channel)});
  formats::write_csv(path, {"recording", "class", "start_s", "end_s", "score", "channel"}, rows);
}

void write_detections_json(const std::filesystem::path& path,
                           const std::vector<std::string>& classes,
                           const std::vector<RecordingScores>& recordings,
                           const std::vector<DetectionEvent>& events) {
  nlohmann::json out = nlohmann::json::array();
  for (const DetectionEvent& e : events)
    out.push_back({{"recording", recordings[e.recording].path},
                   {"class", classes[e.cls]},
                   {"start_s", e.start_seconds},
                   {"end_s", e.end_seconds},
                   {"score", e.score},
                   {"channel", recordings[e.recording].channel}});
  core::write_file_atomically(path, out.dump(2) + "\n");
}

void write_species_summary(const std::filesystem::path& path,
                           const std::vector<std::string>& classes,
                           const std::vector<DetectionEvent>& events) {
  struct Tally {
    std::set<std::size_t> recordings;
    std::size_t detections = 0;
    double seconds = 0;
    float top = 0;
  };
  std::map<std::size_t, Tally> by_class;
  for (const DetectionEvent& e : events) {
    Tally& t = by_class[e.cls];
    t.recordings.insert(e.recording);
    ++t.detections;
    t.seconds += e.end_seconds - e.start_seconds;
    t.top = std::max(t.top, e.score);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& [cls, t] : by_class)
    rows.push_back({classes[cls], std::to_string(t.recordings.size()), std::to_string(t.detections),
                    fmt::format("{:.1f}", t.seconds), score_text(t.top)});
  formats::write_csv(path, {"class", "recordings", "detections", "seconds", "top_score"}, rows);
}

}  // namespace chorus::infer
