#include "infer/output_writers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/atomic_file.hpp"
#include "formats/csv_table.hpp"
#include "formats/decimal_text.hpp"

namespace chorus::infer {
namespace {

// Scores with 6 significant digits (the precision float32 carries, without noise digits),
// seconds to the millisecond.
constexpr int kScoreDigits = 6;
constexpr int kSecondsDecimals = 3;
// An Audacity label's score: 3 decimals, short enough to read on the label track.
constexpr int kLabelScoreDecimals = 3;

}  // namespace

// The tables below are written a row at a time into their text, never as a string per field: a
// run over thousands of hours writes millions of detections. What repeats on every row (file
// names, class names) is worked out once.

void write_submission(const std::filesystem::path& path, const std::vector<std::string>& classes,
                      const std::vector<RecordingScores>& recordings) {
  formats::CsvText text;
  text.field("row_id");
  for (const std::string& c : classes) text.field(c);
  text.end_row();
  for (const RecordingScores& rec : recordings)
    for (std::size_t i = 0; i < rec.chunks.size(); ++i) {
      text.field(rec.chunks[i].row_id);
      for (float v : rec.scores.row(i)) text.significant(v, kScoreDigits);
      text.end_row();
    }
  core::write_file_atomically(path, text.text());
}

void write_raven_table(const std::filesystem::path& path, const std::vector<std::string>& classes,
                       const formats::SpeciesNames& names,
                       const std::vector<RecordingScores>& recordings,
                       const std::vector<DetectionEvent>& events, FrequencyBand band) {
  // Raven counts Begin Time from the start of the first file of the table; each selection also
  // names its own file and the offset in it, so one table can span a folder of recordings.
  std::vector<double> file_start(recordings.size(), 0.0);
  std::vector<std::string> file_name(recordings.size());
  for (std::size_t r = 0; r < recordings.size(); ++r) {
    if (r) file_start[r] = file_start[r - 1] + recordings[r - 1].duration_seconds;
    file_name[r] = std::filesystem::path(recordings[r].path).filename().string();
  }
  formats::CsvText text('\t');
  text.row({"Selection", "View", "Channel", "Begin Time (s)", "End Time (s)", "Low Freq (Hz)",
            "High Freq (Hz)", "Species", "Common Name", "Score", "Begin File", "Begin Path",
            "File Offset (s)"});
  long long selection = 0;
  for (const DetectionEvent& e : events) {
    const RecordingScores& rec = recordings[e.recording];
    // Raven's channels count from 1; a mix of the channels is shown on the first.
    text.integer(++selection).field("Spectrogram 1").integer(std::max(rec.channel, 1));
    text.fixed(file_start[e.recording] + e.start_seconds, kSecondsDecimals)
        .fixed(file_start[e.recording] + e.end_seconds, kSecondsDecimals);
    text.fixed(band.low_hz, 1).fixed(band.high_hz, 1);
    text.field(classes[e.cls]).field(names.common_or(e.cls, classes[e.cls]));
    text.significant(e.score, kScoreDigits).field(file_name[e.recording]).field(rec.path);
    text.fixed(e.start_seconds, kSecondsDecimals).end_row();
  }
  core::write_file_atomically(path, text.text());
}

void write_kaleidoscope_csv(const std::filesystem::path& path,
                            const std::vector<std::string>& classes,
                            const formats::SpeciesNames& names,
                            const std::vector<RecordingScores>& recordings,
                            const std::vector<DetectionEvent>& events) {
  // As BirdNET-Analyzer splits a path: the folder that holds the file's folder, that folder, the
  // file.
  struct SplitPath {
    std::string indir, folder, file;
  };
  std::vector<SplitPath> split;
  for (const RecordingScores& rec : recordings) {
    const std::filesystem::path file(rec.path);
    const std::filesystem::path folder = file.parent_path();
    split.push_back(
        {folder.parent_path().string(), folder.filename().string(), file.filename().string()});
  }
  formats::CsvText text;
  text.row({"INDIR", "FOLDER", "IN FILE", "OFFSET", "DURATION", "scientific_name", "common_name",
            "confidence"});
  for (const DetectionEvent& e : events) {
    const SplitPath& p = split[e.recording];
    text.field(p.indir).field(p.folder).field(p.file);
    text.fixed(e.start_seconds, kSecondsDecimals)
        .fixed(e.end_seconds - e.start_seconds, kSecondsDecimals);
    text.field(names.scientific_or(e.cls, classes[e.cls]))
        .field(names.common_or(e.cls, classes[e.cls]));
    text.significant(e.score, kScoreDigits).end_row();
  }
  core::write_file_atomically(path, text.text());
}

void write_audacity_labels(const std::filesystem::path& path,
                           const std::vector<std::string>& classes,
                           const std::vector<DetectionEvent>& events, std::size_t recording) {
  std::string text;
  for (const DetectionEvent& e : events)
    if (e.recording == recording) {
      // start, end, "class score"
      formats::append_fixed(text, e.start_seconds, kSecondsDecimals);
      text += '\t';
      formats::append_fixed(text, e.end_seconds, kSecondsDecimals);
      text += '\t';
      text += classes[e.cls];
      text += ' ';
      formats::append_fixed(text, e.score, kLabelScoreDecimals);
      text += '\n';
    }
  core::write_file_atomically(path, text);
}

void write_detections_csv(const std::filesystem::path& path,
                          const std::vector<std::string>& classes,
                          const std::vector<RecordingScores>& recordings,
                          const std::vector<DetectionEvent>& events) {
  formats::CsvText text;
  text.row({"recording", "class", "start_s", "end_s", "score", "channel"});
  for (const DetectionEvent& e : events) {
    const RecordingScores& rec = recordings[e.recording];
    text.field(rec.path).field(classes[e.cls]);
    text.fixed(e.start_seconds, kSecondsDecimals).fixed(e.end_seconds, kSecondsDecimals);
    text.significant(e.score, kScoreDigits).integer(rec.channel).end_row();
  }
  core::write_file_atomically(path, text.text());
}

namespace {

// A number as JSON writes it: the shortest text that reads back as `value`, with ".0" where
// that is a whole number (5.0, not 5), so readers that infer types (pandas) keep a column of
// seconds as floats. JSON has no NaN or infinity: null, as nlohmann writes them.
template <typename Number>
void append_json_number(std::string& text, Number value) {
  if (!std::isfinite(value)) {
    text += "null";
    return;
  }
  const std::size_t begin = text.size();
  fmt::format_to(std::back_inserter(text), "{}", value);
  if (text.find_first_of(".e", begin) == std::string::npos) text += ".0";
}

}  // namespace

void write_detections_json(const std::filesystem::path& path,
                           const std::vector<std::string>& classes,
                           const std::vector<RecordingScores>& recordings,
                           const std::vector<DetectionEvent>& events) {
  // Written as nlohmann's dump(2) lays out an array of objects (keys in order), but as text:
  // the strings escaped once per recording and class, the scores as the floats they are.
  const auto json_string = [](const std::string& s) { return nlohmann::json(s).dump(); };
  std::vector<std::string> recording_text, class_text;
  for (const RecordingScores& rec : recordings) recording_text.push_back(json_string(rec.path));
  for (const std::string& c : classes) class_text.push_back(json_string(c));
  std::string text = "[";
  for (const DetectionEvent& e : events) {
    if (&e != events.data()) text += ',';
    text += "\n  {\n    \"channel\": ";
    formats::append_integer(text, recordings[e.recording].channel);
    text += ",\n    \"class\": ";
    text += class_text[e.cls];
    text += ",\n    \"end_s\": ";
    append_json_number(text, e.end_seconds);
    text += ",\n    \"recording\": ";
    text += recording_text[e.recording];
    text += ",\n    \"score\": ";
    append_json_number(text, e.score);
    text += ",\n    \"start_s\": ";
    append_json_number(text, e.start_seconds);
    text += "\n  }";
  }
  text += events.empty() ? "]\n" : "\n]\n";
  core::write_file_atomically(path, text);
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
  formats::CsvText text;
  text.row({"class", "recordings", "detections", "seconds", "top_score"});
  for (const auto& [cls, t] : by_class) {
    text.field(classes[cls]).integer(static_cast<long long>(t.recordings.size()));
    text.integer(static_cast<long long>(t.detections)).fixed(t.seconds, 1);
    text.significant(t.top, kScoreDigits).end_row();
  }
  core::write_file_atomically(path, text.text());
}

}  // namespace chorus::infer
