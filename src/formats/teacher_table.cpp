#include "formats/teacher_table.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <tuple>

#include "core/error.hpp"
#include "formats/csv_table.hpp"
#include "formats/detections_table.hpp"
#include "formats/raven_table.hpp"

namespace chorus::formats {
namespace {

// One labelled span as a tool wrote it: the names to try, in order, and the confidence.
struct Detection {
  std::string recording;
  double start = 0, end = 0;
  std::vector<std::string> names;
  double confidence = 0;
};

std::string first_line(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  CHORUS_CHECK_AS(IoError, in.good(), "{}: cannot open the teacher table", path.string());
  std::string line;
  std::getline(in, line);
  if (line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
  return line;
}

TeacherFormat detect_format(const std::filesystem::path& path) {
  const std::string header = first_line(path);
  if (header.find('\t') != std::string::npos) return TeacherFormat::raven;
  // The CSV reader parses the header (quotes, BOM, line ends) as every table is parsed; teacher
  // tables are small next to the audio they describe.
  const CsvTable table = CsvTable::read(path);
  const auto has = [&](std::string_view column) { return table.find_column(column).has_value(); };
  if (has("Start (s)") && has("Confidence")) return TeacherFormat::birdnet;
  if (has("recording") && has("class") && has("score")) return TeacherFormat::detections;
  if (has("recording") && has("start_s")) return TeacherFormat::pseudo;
  throw FormatError(fmt::format(
      "{}: not a teacher table chorus reads (a chorus pseudo-label or detections table, a "
      "BirdNET-Analyzer CSV or a Raven selection table); its header is: {}",
      path.string(), header));
}

std::vector<Detection> birdnet_rows(const std::filesystem::path& path) {
  const CsvTable t = CsvTable::read(path);
  const std::size_t start = t.column("Start (s)"), end = t.column("End (s)"),
                    scientific = t.column("Scientific name"), common = t.column("Common name"),
                    confidence = t.column("Confidence");
  const auto file = t.find_column("File");
  CHORUS_CHECK_AS(FormatError, file.has_value(),
                  "{}: no File column, so the rows cannot be matched to recordings (write the "
                  "combined table, BirdNET-Analyzer's --combine_results)",
                  path.string());
  std::vector<Detection> rows;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    Detection d{t.text(r, *file),
                t.number(r, start),
                t.number(r, end),
                {t.at(r, scientific), t.at(r, common)},
                t.number(r, confidence)};
    if (d.start < 0 || d.end <= d.start) t.fail(r, fmt::format("span {}–{} s", d.start, d.end));
    if (d.confidence < 0 || d.confidence > 1)
      t.fail(r, fmt::format("Confidence {} is not in [0, 1]", d.confidence));
    rows.push_back(std::move(d));
  }
  return rows;
}

std::vector<Detection> raven_rows(const std::filesystem::path& path) {
  const RavenTable t = RavenTable::read(path);
  std::vector<Detection> rows;
  for (const RavenSelection& s : t.selections) {
    const std::string& recording = !s.begin_path.empty() ? s.begin_path : s.begin_file;
    CHORUS_CHECK_AS(FormatError, !recording.empty(),
                    "{}:{}: no Begin Path or Begin File, so the selection cannot be matched to a "
                    "recording",
                    path.string(), s.line);
    const TimeFrequencyBox box = s.box_in_file();
    rows.push_back({recording, box.begin_s, box.end_s, {s.label}, s.confidence.value_or(1.0)});
  }
  return rows;
}

std::vector<Detection> detection_rows(const std::filesystem::path& path) {
  std::vector<Detection> rows;
  for (const DetectionRow& d : read_detections_csv(path)) {
    CHORUS_CHECK_AS(FormatError, d.score >= 0 && d.score <= 1,
                    "{}:{}: score {} is not in [0, 1] (a teacher's scores are probabilities)",
                    path.string(), d.line, d.score);
    rows.push_back({d.recording, d.start_seconds, d.end_seconds, {d.cls}, d.score});
  }
  return rows;
}

// Detections → one row per distinct chunk over the classes named anywhere.
TeacherTable chunks_of(const std::vector<Detection>& detections, const ClassList& classes,
                       const ClassNames& names) {
  TeacherTable teacher;
  std::vector<std::pair<const Detection*, std::size_t>> known;  // with its class
  std::set<std::size_t> named;
  for (const Detection& d : detections) {
    std::optional<std::size_t> cls;
    for (const std::string& name : d.names)
      if (!cls) cls = names.find(name);
    if (!cls) {
      ++teacher.unknown_names[d.names.front()];
      continue;
    }
    known.emplace_back(&d, *cls);
    named.insert(*cls);
  }
  const std::vector<std::size_t> columns(named.begin(), named.end());
  for (std::size_t c : columns) teacher.table.classes.push_back(classes.name(c));
  std::map<std::tuple<std::string, double, double>, std::size_t> row_of;
  for (const auto& [d, cls] : known) {
    const auto [it, added] =
        row_of.try_emplace({d->recording, d->start, d->end}, teacher.table.rows.size());
    if (added)
      teacher.table.rows.push_back(
          {d->recording, d->start, d->end, std::vector<float>(columns.size(), 0.0f), 0});
    const auto k = static_cast<std::size_t>(std::lower_bound(columns.begin(), columns.end(), cls) -
                                            columns.begin());
    float& p = teacher.table.rows[it->second].probabilities[k];
    p = std::max(p, static_cast<float>(d->confidence));
  }
  return teacher;
}

// A chorus pseudo-label table with its columns renamed to class codes; unknown columns dropped.
TeacherTable renamed_pseudo(const std::filesystem::path& path, const ClassList& classes,
                            const ClassNames& names) {
  PseudoTable table = read_pseudo_table(path);
  std::vector<std::optional<std::size_t>> class_of;
  std::map<std::size_t, std::string> claimed;
  TeacherTable teacher;
  for (const std::string& column : table.classes) {
    const auto cls = names.find(column);
    if (cls) {
      const auto [it, added] = claimed.try_emplace(*cls, column);
      CHORUS_CHECK_AS(FormatError, added, "{}: columns '{}' and '{}' both name class {}",
                      path.string(), it->second, column, classes.name(*cls));
    } else {
      teacher.unknown_names[column] = table.rows.size();
    }
    class_of.push_back(cls);
  }
  std::vector<std::size_t> order;  // table columns kept, in class order
  for (std::size_t k = 0; k < class_of.size(); ++k)
    if (class_of[k]) order.push_back(k);
  std::sort(order.begin(), order.end(),
            [&](auto a, auto b) { return *class_of[a] < *class_of[b]; });
  for (std::size_t k : order) teacher.table.classes.push_back(classes.name(*class_of[k]));
  for (PseudoRow& row : table.rows) {
    std::vector<float> kept;
    for (std::size_t k : order) kept.push_back(row.probabilities[k]);
    row.probabilities = std::move(kept);
  }
  teacher.table.rows = std::move(table.rows);
  return teacher;
}

}  // namespace

std::string_view describe(TeacherFormat format) {
  switch (format) {
    case TeacherFormat::pseudo:
      return "chorus pseudo-label table";
    case TeacherFormat::detections:
      return "chorus detections table";
    case TeacherFormat::birdnet:
      return "BirdNET-Analyzer CSV";
    case TeacherFormat::raven:
      return "Raven selection table";
  }
  CHORUS_UNREACHABLE("a teacher format outside TeacherFormat");
}

TeacherTable read_teacher_table(const std::filesystem::path& path, const ClassList& classes,
                                const ClassNames& names) {
  const TeacherFormat format = detect_format(path);
  TeacherTable teacher;
  switch (format) {
    case TeacherFormat::pseudo:
      teacher = renamed_pseudo(path, classes, names);
      break;
    case TeacherFormat::detections:
      teacher = chunks_of(detection_rows(path), classes, names);
      break;
    case TeacherFormat::birdnet:
      teacher = chunks_of(birdnet_rows(path), classes, names);
      break;
    case TeacherFormat::raven:
      teacher = chunks_of(raven_rows(path), classes, names);
      break;
  }
  teacher.format = format;
  if (teacher.table.classes.empty()) {
    std::vector<std::string> unknown;
    for (const auto& [name, rows] : teacher.unknown_names) unknown.push_back(name);
    if (unknown.size() > 5) unknown.resize(5);
    throw FormatError(fmt::format("{}: no name in the table is a class of {} ({}{})", path.string(),
                                  classes.source(), fmt::join(unknown, ", "),
                                  teacher.unknown_names.size() > 5 ? ", …" : ""));
  }
  return teacher;
}

}  // namespace chorus::formats
